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

var app = MizzenServer.Build(arguments, args);
await app.RunAsync();
return 0;
