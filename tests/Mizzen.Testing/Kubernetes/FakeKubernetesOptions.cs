namespace Mizzen.Testing.Kubernetes;

/// <summary>How a <see cref="FakeKubernetesApiServer"/> starts.</summary>
public sealed class FakeKubernetesOptions
{
    /// <summary>Clock for creationTimestamp, condition times and deletionTimestamp (a FakeTimeProvider in tests that assert on them).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>A bearer token every request must carry (else 401 Unauthorized, as a real server with token auth); null accepts all.</summary>
    public string? RequiredToken { get; init; }

    /// <summary>
    /// Refuse namespaced objects in a namespace that does not exist (404 NotFound on the namespace, as a real server does).
    /// <see cref="FakeKubernetesApiServer.Put"/> is not checked.
    /// </summary>
    public bool RequireNamespaces { get; init; } = true;

    /// <summary>Namespaces that exist at start (a real cluster has these three).</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = ["default", "kube-system", "kube-public"];

    /// <summary>Run the controller after every change, in the background. When false, only <see cref="FakeController.SettleAsync"/> runs it.</summary>
    public bool BackgroundController { get; init; } = true;
}

/// <summary>One request the fake answered, for tests that count or inspect the calls a client made.</summary>
/// <param name="Verb">The Kubernetes verb: get, list, watch, create, update, patch, delete, deletecollection; "discovery" for /api, /apis, /version, /openapi.</param>
/// <param name="Resource">The plural resource name with its subresource (<c>deployments/scale</c>), "" for discovery.</param>
public sealed record RecordedRequest(
    string Method,
    string Path,
    string Query,
    string Verb,
    string? ContentType,
    string Resource,
    string? Namespace,
    string? Name,
    string Body,
    int StatusCode);
