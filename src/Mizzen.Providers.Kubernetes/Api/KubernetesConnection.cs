using System.Net;
using System.Text;
using k8s;
using k8s.Autorest;

namespace Mizzen.Providers.Kubernetes.Api;

/// <summary>
/// KubernetesClient's <see cref="k8s.Kubernetes"/> used only for what it does well — kubeconfig and in-cluster credentials (tokens,
/// client certificates, exec plugins, CA trust) — with requests of any path, verb and content type sent through it. The generated
/// typed operations cover one Go type per call; the provider works on generic JSON manifests of every kind, needs label selectors,
/// every PATCH content type, delete propagation and watches from a resourceVersion, which the client's <c>GenericClient</c> lacks.
/// </summary>
internal sealed class KubernetesConnection : k8s.Kubernetes
{
    public KubernetesConnection(KubernetesClientConfiguration config)
        : base(config)
    {
        HttpClient.Timeout = Timeout.InfiniteTimeSpan; // watches stay open; other requests are bounded by the caller's token
    }

    /// <summary>Sends a request; the response (headers read, body not yet) on success, a <see cref="KubernetesApiException"/> otherwise.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string relativeUri, string? contentType, string? body, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, new Uri(BaseUri, relativeUri.TrimStart('/')));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType ?? "application/json");
        }

        request.Headers.Accept.ParseAdd("application/json");
        try
        {
            return await SendRequestRaw(body ?? "", request, cancellationToken);
        }
        catch (HttpOperationException e)
        {
            throw KubernetesApiErrors.FromResponse(method, relativeUri, e.Response?.StatusCode, e.Response?.Content, e);
        }
        catch (HttpRequestException e)
        {
            throw new KubernetesApiException($"{method} {StripQuery(relativeUri)}: the API server did not answer ({e.Message})", null, null, e);
        }
    }

    internal static string StripQuery(string uri) => uri.Split('?', 2)[0];
}

/// <summary>Turns the API's <c>Status</c> bodies into <see cref="KubernetesApiException"/>s that name the request and the API's message.</summary>
internal static class KubernetesApiErrors
{
    public static KubernetesApiException FromResponse(HttpMethod method, string uri, HttpStatusCode? status, string? content, Exception? inner)
    {
        string? reason = null;
        string? message = null;
        try
        {
            if (!string.IsNullOrWhiteSpace(content) && System.Text.Json.Nodes.JsonNode.Parse(content) is System.Text.Json.Nodes.JsonObject json)
            {
                reason = json["reason"]?.GetValue<string>();
                message = json["message"]?.GetValue<string>();
            }
        }
        catch (System.Text.Json.JsonException)
        {
            message = content;
        }
        catch (InvalidOperationException)
        {
            message = content;
        }

        var code = status is null ? "no answer" : $"{(int)status} {reason ?? status.ToString()}";
        return new KubernetesApiException(
            $"{method} {KubernetesConnection.StripQuery(uri)} failed ({code}){(string.IsNullOrWhiteSpace(message) ? "" : ": " + message)}", status, reason ?? status?.ToString(), inner);
    }
}
