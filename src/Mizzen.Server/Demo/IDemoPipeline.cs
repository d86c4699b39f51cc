using System.Text.Json.Nodes;

namespace Mizzen.Server.Demo;

/// <summary>
/// A pipeline the first-run demo saves for application <c>demo</c> (when none of that name exists yet). Register more with
/// <c>services.TryAddEnumerable(ServiceDescriptor.Singleton&lt;IDemoPipeline, MyPipeline&gt;())</c>; each is validated like
/// <c>POST /pipelines</c> before it is saved, and an invalid one is logged and skipped.
/// </summary>
public interface IDemoPipeline
{
    /// <summary>The pipeline's name (unique within the demo application).</summary>
    string Name { get; }

    /// <summary>
    /// The pipeline config JSON. <c>application</c> and <c>name</c> may be left out (they are filled in); stage fields may use the
    /// bundle paths and load balancers from <paramref name="environment"/>.
    /// </summary>
    JsonObject Build(DemoEnvironment environment);
}
