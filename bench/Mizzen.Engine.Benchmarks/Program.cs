using BenchmarkDotNet.Running;
using Mizzen.Engine.Benchmarks;

if (args.Length > 0 && args[0] == "--micro")
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args[1..]);
    return 0;
}

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
if (options.SlowExpression)
{
    var slow = await Mizzen.Engine.Benchmarks.SlowExpression.SlowExpressionRun.RunAsync(options, Console.Out, cancel.Token);
    Console.WriteLine();
    Console.WriteLine("Verdicts");
    Console.WriteLine("  " + slow);
    return slow.Met ? 0 : 1;
}

if (options.Postgres)
{
    var scaleOut = await Mizzen.Engine.Benchmarks.Postgres.PostgresDriver.RunAsync(options, Console.Out, cancel.Token);
    return scaleOut ? 0 : 1;
}

var driver = new BenchDriver(options, Console.Out);
var verdicts = await driver.RunAsync(cancel.Token);

// --quick is a smoke test: it fails only when the engine failed runs. A full run fails when a goal is missed.
return options.Quick ? (driver.AllRunsSucceeded ? 0 : 1) : (verdicts.All(v => v.Met) ? 0 : 1);
