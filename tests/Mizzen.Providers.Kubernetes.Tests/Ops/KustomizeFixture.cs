namespace Mizzen.Providers.Kubernetes.Tests.Ops;

/// <summary>A base (Deployment + Service) and a prod overlay (name prefix, replicas, image tag), as a repository would hold them.</summary>
internal static class KustomizeFixture
{
    public const string Kubectl = "/usr/bin/kubectl";

    /// <summary>Writes <c>base/</c> and <c>overlays/prod/</c> under <paramref name="root"/>; returns the overlay's folder.</summary>
    public static string Write(string root)
    {
        if (!File.Exists(Kubectl))
        {
            throw new InvalidOperationException($"{Kubectl} is missing: install kubectl 1.32 (it carries kustomize) to run the bakeManifest tests");
        }

        var @base = Directory.CreateDirectory(Path.Combine(root, "base")).FullName;
        File.WriteAllText(Path.Combine(@base, "kustomization.yaml"), "resources:\n- deployment.yaml\n- service.yaml\n");
        File.WriteAllText(Path.Combine(@base, "deployment.yaml"), """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 1
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                  - name: web
                    image: registry.example.com/web:1.0
            """);
        File.WriteAllText(Path.Combine(@base, "service.yaml"), """
            apiVersion: v1
            kind: Service
            metadata:
              name: web
            spec:
              selector: {app: web}
              ports:
              - port: 80
            """);
        var overlay = Directory.CreateDirectory(Path.Combine(root, "overlays", "prod")).FullName;
        File.WriteAllText(Path.Combine(overlay, "kustomization.yaml"), """
            resources:
            - ../../base
            namePrefix: prod-
            replicas:
            - name: web
              count: 3
            images:
            - name: registry.example.com/web
              newTag: "2.0"
            """);
        return overlay;
    }
}
