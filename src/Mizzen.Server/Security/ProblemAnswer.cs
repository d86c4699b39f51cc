namespace Mizzen.Server.Security;

/// <summary>
/// Writes a refusal as problem JSON whatever the caller accepts: the problem details service finds no writer for a browser's
/// <c>Accept: text/html</c> and would throw, turning a 400/401/403 into a 500.
/// </summary>
internal static class ProblemAnswer
{
    public static async Task WriteAsync(IProblemDetailsService problems, ProblemDetailsContext context)
    {
        if (!await problems.TryWriteAsync(context))
        {
            await TypedResults.Problem(context.ProblemDetails).ExecuteAsync(context.HttpContext);
        }
    }
}
