using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace YTeSo.Access.Tokens;

/// <summary>
/// The server's RSA keys for signing tokens and encrypting authorization codes and refresh tokens. Kept as PEM files so
/// tokens survive a restart; created on first start. Operators who run several instances point
/// <c>Security:KeysDirectory</c> at shared storage (docs/security.md).
/// </summary>
internal static class TokenKeys
{
    public static RsaSecurityKey Load(string directory, string name)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name + ".pem");
        var rsa = RSA.Create();
        if (File.Exists(path))
        {
            rsa.ImportFromPem(File.ReadAllText(path));
        }
        else
        {
            rsa.KeySize = 2048; // NIST SP 800-57: RSA-2048 acceptable through 2030; quick to create on every test host
            var pem = rsa.ExportPkcs8PrivateKeyPem();
            File.WriteAllText(path, pem);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        // The key id is derived from the public key so that every instance sharing the file publishes the same kid.
        var kid = Base64UrlEncoder.Encode(SHA256.HashData(rsa.ExportSubjectPublicKeyInfo()))[..16];
        return new RsaSecurityKey(rsa) { KeyId = kid };
    }
}
