using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace YTeSo.IntegrationTests.Persistence;

/// <summary>
/// Every module's EF model matches its migrations, on both providers (architecture guide §3: "a test fails if the
/// model has pending changes"). Contexts are found through their design-time factories, the same ones
/// <c>dotnet ef migrations add</c> uses, so a new module's context is checked without editing this test.
/// </summary>
public sealed class MigrationDriftTests
{
    public static TheoryData<string> Factories()
    {
        var data = new TheoryData<string>();
        foreach (var factory in FactoryTypes())
        {
            data.Add(factory.FullName!);
        }

        return data;
    }

    [Fact]
    public void Each_module_context_has_a_design_time_factory_for_both_providers()
    {
        var contexts = FactoryTypes().Select(t => ContextType(t).Name).ToList();

        Assert.Contains("SqliteAccessDbContext", contexts);
        Assert.Contains("PostgresAccessDbContext", contexts);
        var modules = contexts.Select(c => c.Replace("Sqlite", string.Empty, StringComparison.Ordinal).Replace("Postgres", string.Empty, StringComparison.Ordinal)).Distinct();
        Assert.All(modules, m => Assert.True(contexts.Contains("Sqlite" + m) && contexts.Contains("Postgres" + m), $"{m} needs migrations for SQLite and PostgreSQL"));
    }

    [Theory]
    [MemberData(nameof(Factories))]
    public void The_model_has_no_changes_missing_from_its_migrations(string factoryName)
    {
        var factoryType = FactoryTypes().Single(t => t.FullName == factoryName);
        var factory = Activator.CreateInstance(factoryType, nonPublic: true)!;
        var create = factoryType.GetMethod("CreateDbContext")!;
        using var context = (DbContext)create.Invoke(factory, [Array.Empty<string>()])!;

        Assert.NotEmpty(context.Database.GetMigrations());
        Assert.False(context.Database.HasPendingModelChanges(), $"{ContextType(factoryType).Name}: the model has changes with no migration; run dotnet ef migrations add for both providers.");
    }

    private static IEnumerable<Type> FactoryTypes() =>
        typeof(Program).Assembly.GetReferencedAssemblies()
            .Where(a => a.Name!.StartsWith("YTeSo.", StringComparison.Ordinal))
            .Select(Assembly.Load)
            .SelectMany(a => a.GetTypes())
            .Where(t => !t.IsAbstract && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDesignTimeDbContextFactory<>)))
            .OrderBy(t => t.FullName, StringComparer.Ordinal);

    private static Type ContextType(Type factory) =>
        factory.GetInterfaces().Single(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDesignTimeDbContextFactory<>)).GetGenericArguments()[0];
}
