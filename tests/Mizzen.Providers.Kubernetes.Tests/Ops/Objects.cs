using System.Text.Json.Nodes;

namespace Mizzen.Providers.Kubernetes.Tests.Ops;

/// <summary>Manifests the operation tests seed into the fake API server, as a deployManifest would have left them.</summary>
internal static class Objects
{
    public static JsonObject Deployment(string name, string image, int replicas = 1, string ns = "default") => JsonNode.Parse($$$"""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}","annotations":{"moniker.spinnaker.io/application":"app"}},
         "spec":{"replicas":{{{replicas}}},"selector":{"matchLabels":{"app":"{{{name}}}"}},
                 "template":{"metadata":{"labels":{"app":"{{{name}}}"}},
                             "spec":{"containers":[{"name":"{{{name}}}","image":"{{{image}}}",
                                                    "envFrom":[{"configMapRef":{"name":"{{{name}}}-config-v002"}}]}]} } } }
        """)!.AsObject();

    /// <summary>A ReplicaSet that takes traffic from Service <c>web</c> (its template carries the Service's selector label).</summary>
    public static JsonObject TrafficReplicaSet(string name) => JsonNode.Parse($$$"""
        {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"{{{name}}}","namespace":"default",
           "annotations":{"traffic.spinnaker.io/load-balancers":"[\"service web\"]","moniker.spinnaker.io/application":"app"}},
         "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web","version":"{{{name}}}"}},
                 "template":{"metadata":{"labels":{"app":"web","version":"{{{name}}}","serves-web":"true"}},
                             "spec":{"containers":[{"name":"web","image":"registry.example.com/web:1.0"}]} } } }
        """)!.AsObject();

    public static JsonObject Service(string name, string selectorKey) => JsonNode.Parse($$$"""
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"{{{name}}}","namespace":"default"},
         "spec":{"selector":{"{{{selectorKey}}}":"true"},"ports":[{"port":80}]}}
        """)!.AsObject();

    public static JsonObject VirtualService() => JsonNode.Parse("""
        {"apiVersion":"networking.istio.io/v1beta1","kind":"VirtualService","metadata":{"name":"web","namespace":"default"},
         "spec":{"hosts":["web.default.svc.cluster.local"],
                 "http":[{"match":[{"headers":{"x-canary":{"exact":"1"}}}],"route":[{"destination":{"host":"web.default.svc.cluster.local","subset":"canary"}}]},
                         {"route":[{"destination":{"host":"web.default.svc.cluster.local","subset":"stable"},"weight":100}]}]}}
        """)!.AsObject();
}
