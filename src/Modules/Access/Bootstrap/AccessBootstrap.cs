using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using YTeSo.Access.Accounts;
using YTeSo.Access.Contracts;
using YTeSo.Access.Persistence;
using YTeSo.Access.Tokens;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace YTeSo.Access.Bootstrap;

/// <summary>
/// First start without clicking: the first Department administrator (only while no staff account exists) and the
/// configured OAuth clients (created or brought in line with configuration at every start), so deployment scripts and
/// automated checks can obtain a token straight away.
/// </summary>
internal sealed class AccessBootstrap(
    AccessDbContext db,
    UserManager<StaffAccount> users,
    IOpenIddictApplicationManager applications,
    AccessOptions options,
    ILogger<AccessBootstrap> logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await db.Database.MigrateAsync(cancellationToken);
        await CreateFirstAdministratorAsync(cancellationToken);
        foreach (var client in options.Clients.Where(c => !string.IsNullOrWhiteSpace(c.ClientId)))
        {
            await UpsertClientAsync(client, cancellationToken);
        }

        var demoFile = Path.Combine(options.DemoSignInFolder, "demo-sign-in.txt");
        if (options.DemoAdministrator && File.Exists(demoFile))
        {
            var lines = await File.ReadAllLinesAsync(demoFile, cancellationToken);
            logger.LogWarning("Demo sign-in (đăng nhập thử): user '{UserName}', password '{Password}' (from {File}; demo data only)", lines[0], lines.ElementAtOrDefault(1), Path.GetFullPath(demoFile));
        }
    }

    private async Task CreateFirstAdministratorAsync(CancellationToken cancellationToken)
    {
        if (await db.Users.AnyAsync(cancellationToken))
        {
            return;
        }

        var admin = options.BootstrapAdmin;
        if (admin is not { Password.Length: > 0 })
        {
            if (!options.DemoAdministrator)
            {
                return;
            }

            // The demo start: a random password, written beside the demo data (never a password in the repository).
            admin = new BootstrapAdministrator { UserName = "admin", Password = DemoPassword() };
            var file = Path.Combine(options.DemoSignInFolder, "demo-sign-in.txt");
            Directory.CreateDirectory(options.DemoSignInFolder);
            await File.WriteAllTextAsync(file, $"{admin.UserName}\n{admin.Password}\n", cancellationToken);
        }

        var account = new StaffAccount { UserName = admin.UserName, DisplayName = admin.DisplayName };
        var created = await users.CreateAsync(account, admin.Password);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException($"Security:BootstrapAdmin could not be created: {string.Join("; ", created.Errors.Select(e => e.Description))}");
        }

        db.Assignments.Add(new StaffAssignment { AccountId = account.Id, FacilityId = options.DepartmentOrganizationId, Role = StaffRoles.DepartmentAdministrator });
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Created the first administrator '{UserName}' from configuration", admin.UserName);
    }

    /// <summary>Fourteen characters from an alphabet without look-alikes, with the classes the password rules ask for.</summary>
    private static string DemoPassword()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var random = System.Security.Cryptography.RandomNumberGenerator.GetString(alphabet, 11);
        return "Yt" + random + "7";
    }

    private async Task UpsertClientAsync(ConfiguredClient client, CancellationToken cancellationToken)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = client.ClientId,
            DisplayName = client.DisplayName ?? client.ClientId,
            ClientType = client.Secret is null && client.Jwks is null && client.JwksPath is null ? ClientTypes.Public : ClientTypes.Confidential,
            ConsentType = ConsentTypes.Implicit,
        };
        if (client.Secret is not null)
        {
            descriptor.ClientSecret = client.Secret;
        }

        var jwks = client.Jwks ?? (client.JwksPath is not null ? await File.ReadAllTextAsync(client.JwksPath, cancellationToken) : null);
        if (jwks is not null)
        {
            // SMART Backend Services: the client proves itself with a JWT signed by a key from this set (private_key_jwt).
            descriptor.JsonWebKeySet = JsonWebKeySet.Create(jwks);
        }

        descriptor.Permissions.Add(Permissions.Endpoints.Token);
        if (descriptor.ClientType == ClientTypes.Confidential)
        {
            descriptor.Permissions.Add(Permissions.GrantTypes.ClientCredentials);
        }

        if (client.RedirectUris.Count > 0)
        {
            descriptor.Permissions.UnionWith([
                Permissions.Endpoints.Authorization, Permissions.Endpoints.EndSession, Permissions.GrantTypes.AuthorizationCode,
                Permissions.GrantTypes.RefreshToken, Permissions.ResponseTypes.Code,
            ]);
            descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
            foreach (var uri in client.RedirectUris)
            {
                descriptor.RedirectUris.Add(new Uri(uri));
            }
        }

        descriptor.Properties[ClientRegistration.ScopesProperty] = JsonSerializer.SerializeToElement(client.Scopes);
        descriptor.Properties[ClientRegistration.FacilityProperty] = JsonSerializer.SerializeToElement(client.FacilityId ?? string.Empty);
        descriptor.Properties[ClientRegistration.SensitiveProperty] = JsonSerializer.SerializeToElement(client.SeesSensitive);

        var existing = await applications.FindByClientIdAsync(client.ClientId, cancellationToken);
        if (existing is null)
        {
            await applications.CreateAsync(descriptor, cancellationToken);
            logger.LogInformation("Registered OAuth client '{ClientId}' from configuration", client.ClientId);
        }
        else
        {
            await applications.UpdateAsync(existing, descriptor, cancellationToken);
        }
    }
}
