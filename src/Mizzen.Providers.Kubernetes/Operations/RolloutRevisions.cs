using System.Globalization;
using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;

namespace Mizzen.Providers.Kubernetes.Operations;

/// <summary>
/// A Deployment's rollout history as <c>kubectl rollout history</c> reads it: each ReplicaSet the Deployment owns carries its
/// revision in the <c>deployment.kubernetes.io/revision</c> annotation. <c>undoRolloutManifest</c> picks a revision the way
/// clouddriver does: an explicit <c>revision</c>, or <c>numRevisionsBack</c> from the sorted list (index <c>n − back − 1</c>).
/// </summary>
internal static class RolloutRevisions
{
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";

    /// <summary>Kubernetes' label on a ReplicaSet's pod template that kubectl strips before copying the template back.</summary>
    public const string PodTemplateHashLabel = "pod-template-hash";

    /// <summary>The revision of a ReplicaSet, or null when it carries none (not created by a Deployment).</summary>
    public static long? Of(JsonObject replicaSet) =>
        replicaSet["metadata"]?["annotations"]?[RevisionAnnotation].AsString() is { } text
        && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var revision)
            ? revision
            : null;

    /// <summary>
    /// The revision to roll back to. <paramref name="revision"/> wins when given (it must exist); otherwise
    /// <paramref name="numRevisionsBack"/> counts back from the newest. Fails naming the field when there is no such revision.
    /// </summary>
    public static long Pick(IEnumerable<long> revisions, long? revision, int? numRevisionsBack, string what)
    {
        var sorted = revisions.Distinct().Order().ToList();
        if (revision is { } wanted)
        {
            return sorted.Contains(wanted)
                ? wanted
                : throw new ValidationException("revision", $"{what} has no revision {wanted}; it has {Describe(sorted)}");
        }

        if (numRevisionsBack is not { } back)
        {
            throw new ValidationException("revision", "undoRolloutManifest needs 'revision' or 'numRevisionsBack'");
        }

        if (back < 1)
        {
            throw new ValidationException("numRevisionsBack", $"must be at least 1, got {back}");
        }

        var index = sorted.Count - back - 1;
        return index >= 0
            ? sorted[index]
            : throw new ValidationException("numRevisionsBack", $"{what} has {Describe(sorted)}: cannot go back {back}");
    }

    /// <summary>
    /// The pod template to restore from a ReplicaSet: its <c>spec.template</c> without the <c>pod-template-hash</c> label
    /// Kubernetes added, which must not end up in the Deployment.
    /// </summary>
    public static JsonObject TemplateOf(JsonObject replicaSet)
    {
        var template = replicaSet["spec"]?["template"] is JsonObject t ? (JsonObject)t.DeepClone() : [];
        if (template["metadata"]?["labels"] is JsonObject labels)
        {
            labels.Remove(PodTemplateHashLabel);
        }

        return template;
    }

    private static string Describe(IReadOnlyList<long> sorted) =>
        sorted.Count == 0 ? "no revisions" : "revisions " + string.Join(", ", sorted.Select(r => r.ToString(CultureInfo.InvariantCulture)));
}
