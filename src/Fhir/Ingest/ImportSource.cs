using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace YTeSo.Fhir.Ingest;

/// <summary>
/// One input of an import: a .json file (a resource or a Bundle), an .ndjson file (one resource per line, the FHIR
/// Bulk Data format), or a .tgz/.tar.gz archive of such files. <see cref="Length"/> is for progress only.
/// </summary>
internal sealed record ImportSource(string Name, long Length, Func<Stream> Open)
{
    /// <summary>Files as given, directories recursively (in name order, so an import is repeatable).</summary>
    public static List<ImportSource> FromPaths(IEnumerable<string> paths)
    {
        var sources = new List<ImportSource>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                sources.AddRange(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(IsImportable)
                    .Order(StringComparer.Ordinal)
                    .Select(FromFile));
            }
            else
            {
                // A missing file is reported by the importer as a rejected file, like any other unreadable one.
                sources.Add(FromFile(path));
            }
        }

        return sources;
    }

    public static bool IsImportable(string name) =>
        IsJson(name) || IsNdjson(name) || IsArchive(name);

    internal static bool IsJson(string name) => name.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    internal static bool IsNdjson(string name) => name.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase);

    internal static bool IsArchive(string name) =>
        name.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase);

    private static ImportSource FromFile(string path) =>
        new(path, File.Exists(path) ? new FileInfo(path).Length : 0, () => File.OpenRead(path));
}

/// <summary>One unit of input before parsing: a whole .json file, or one NDJSON line.</summary>
internal sealed record ImportDocument(ImportOrigin Origin, byte[] Json, bool IsNdjsonLine);

/// <summary>Reads sources into documents, in order; a source that cannot be read becomes a rejection, not an error.</summary>
internal static class ImportReader
{
    public static IEnumerable<(ImportDocument? Document, ImportRejection? Rejection)> Read(IEnumerable<ImportSource> sources, ImportProgress progress)
    {
        foreach (var source in sources)
        {
            if (!ImportSource.IsImportable(source.Name))
            {
                yield return (null, new ImportRejection(new ImportOrigin(source.Name), "not a .json, .ndjson, .tgz or .tar.gz file"));
                continue;
            }

            using var documents = ReadSource(source, progress).GetEnumerator();
            while (true)
            {
                ImportRejection? failure = null;
                try
                {
                    if (!documents.MoveNext())
                    {
                        break;
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or FormatException or DecoderFallbackException)
                {
                    failure = new ImportRejection(new ImportOrigin(source.Name), $"cannot be read: {e.Message} (what came before this point was imported)");
                }

                if (failure is not null)
                {
                    yield return (null, failure);
                    break;
                }

                yield return (documents.Current, null);
            }

            progress.FileDone();
        }
    }

    private static IEnumerable<ImportDocument> ReadSource(ImportSource source, ImportProgress progress)
    {
        using var stream = new CountingStream(source.Open(), progress);
        if (ImportSource.IsArchive(source.Name))
        {
            using var tar = new TarReader(new GZipStream(stream, CompressionMode.Decompress));
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.DataStream is null || entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                {
                    continue;
                }

                var name = $"{source.Name}/{entry.Name}";
                foreach (var document in ReadFile(name, entry.DataStream))
                {
                    yield return document;
                }
            }
        }
        else
        {
            foreach (var document in ReadFile(source.Name, stream))
            {
                yield return document;
            }
        }
    }

    private static IEnumerable<ImportDocument> ReadFile(string name, Stream stream)
    {
        if (ImportSource.IsNdjson(name))
        {
            // Bulk Data NDJSON: one resource per line; blank lines (a trailing newline) are not resources.
            using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), leaveOpen: true);
            var number = 0;
            while (reader.ReadLine() is { } line)
            {
                number++;
                if (!string.IsNullOrWhiteSpace(line))
                {
                    yield return new ImportDocument(new ImportOrigin(name, number), Encoding.UTF8.GetBytes(line), IsNdjsonLine: true);
                }
            }
        }
        else if (ImportSource.IsJson(name))
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            yield return new ImportDocument(new ImportOrigin(name), buffer.ToArray(), IsNdjsonLine: false);
        }
    }

    /// <summary>Counts the bytes read from a source file, for the progress display.</summary>
    private sealed class CountingStream(Stream inner, ImportProgress progress) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            progress.AddBytes(read);
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
