using YTeSo.Bench;

// One line per subcommand; each lives in its own file. See docs/benchmarks.md for the commands and figures.
return args.FirstOrDefault() switch
{
    "seed" => await SeedCommand.RunAsync(BenchArguments.Parse(args[1..])),
    "sample" => await SampleCommand.RunAsync(BenchArguments.Parse(args[1..])),
    "read" => await LoadCommand.RunAsync(LoadKind.Read, BenchArguments.Parse(args[1..])),
    "search" => await LoadCommand.RunAsync(LoadKind.Search, BenchArguments.Parse(args[1..])),
    "ingest" => await IngestBenchmark.RunAsync(args[1..]),
    "audit" => await AuditBenchmark.RunAsync(BenchArguments.Parse(args[1..])),
    "access" => await AccessBenchmark.RunAsync(BenchArguments.Parse(args[1..])),
    "mpi" => MpiBenchmark.Run(BenchArguments.Parse(args[1..])),
    "mpi-host" => await MpiHostBenchmark.RunAsync(BenchArguments.Parse(args[1..])),
    "terminology" => await TerminologyBenchmark.RunAsync(BenchArguments.Parse(args[1..])),
    _ => BenchArguments.Usage(),
};
