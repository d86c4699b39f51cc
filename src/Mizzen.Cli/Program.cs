using Mizzen.Cli;

using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl+C asks the running command to stop (a followed run stays running on the server); a second one kills.
    e.Cancel = !interrupted.IsCancellationRequested;
    interrupted.Cancel();
};

return await Cli.RunAsync(args, Console.Out, Console.Error, interrupted.Token);
