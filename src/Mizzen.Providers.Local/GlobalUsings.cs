global using Mizzen.Providers.Local.Accounts;
global using Mizzen.Providers.Local.Api;
