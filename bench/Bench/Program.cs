// Benchmark drivers; figures and exact commands are in docs/benchmarks.md. One line per subcommand.
return args switch
{
    ["ingest", .. var rest] => await YTeSo.Bench.IngestBenchmark.RunAsync(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.WriteLine("usage: Bench <subcommand> [options]; see docs/benchmarks.md");
    Console.WriteLine("  ingest --db sqlite|postgres --source synthea|demo [--patients N] [--via import|transactions]");
    return 2;
}
