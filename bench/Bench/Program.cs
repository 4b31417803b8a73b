Console.WriteLine("YTeSo benchmarks: see docs/benchmarks.md");
