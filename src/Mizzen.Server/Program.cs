using Microsoft.AspNetCore.Connections;
using Mizzen.Server.Hosting;

ServeArguments arguments;
try
{
    arguments = ServeArguments.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync("mizzen: " + e.Message);
    return 2;
}

// Failures a user causes and can fix are one line on stderr, never a stack trace. The data folder first: a second `serve` on the same
// folder (and so, usually, the same port) is told which process holds it.
WebApplication app;
try
{
    app = MizzenServer.Build(arguments, args);
}
catch (Mizzen.Core.Errors.MizzenException e) // the data folder in use, a refused bind, a bad bootstrap token, certificate or OIDC setting
{
    await Console.Error.WriteLineAsync("mizzen: " + e.Message);
    return 1;
}

if (!PortAvailability.IsFree(arguments))
{
    await app.DisposeAsync();
    await Console.Error.WriteLineAsync("mizzen: " + PortAvailability.InUseMessage(arguments));
    return 1;
}

try
{
    await app.RunAsync();
}
catch (IOException e) when (e.InnerException is AddressInUseException)
{
    await Console.Error.WriteLineAsync("mizzen: " + PortAvailability.InUseMessage(arguments));
    return 1;
}

return 0;
