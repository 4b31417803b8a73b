using Spectre.Console;

AnsiConsole.MarkupLine("[bold]yteso[/]: YTeSo command line");
return 0;
