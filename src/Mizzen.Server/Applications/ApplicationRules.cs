using Mizzen.Core.Errors;
using Mizzen.Core.Model;

namespace Mizzen.Server.Applications;

/// <summary>What a new or changed application must satisfy; the REST API and the UI's create form check the same rules.</summary>
public static class ApplicationRules
{
    /// <summary>Throws <see cref="ValidationException"/> naming the field (<c>name</c>, <c>email</c>, <c>permissions.KEY</c>) that is wrong.</summary>
    public static void Check(Application application)
    {
        if (!Application.IsValidName(application.Name))
        {
            throw new ValidationException("name", $"'{application.Name}' is not a valid application name: use letters, digits, '-', '_' or '.'");
        }

        if (application.Email is { Length: > 0 } email && !email.Contains('@', StringComparison.Ordinal))
        {
            throw new ValidationException("email", $"'{email}' is not an email address");
        }

        Security.Authorization.PermissionSet.Parse(application.Permissions); // names a key that is not READ, WRITE or EXECUTE, or a list that is not of roles
    }
}
