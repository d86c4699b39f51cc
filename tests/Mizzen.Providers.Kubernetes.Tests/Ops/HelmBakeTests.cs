using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Artifacts;
using Mizzen.Providers.Kubernetes.Tests.Infrastructure;

namespace Mizzen.Providers.Kubernetes.Tests.Ops;

/// <summary>
/// bakeManifest with HELM3 through the engine. No helm binary is on these machines (Debian does not package it), so a small shell
/// script, <c>fake-helm</c>, stands in for it: it records the command line Mizzen runs and the values files it was given, checks the
/// chart folder holds a Chart.yaml, and prints a manifest that deployManifest then deploys. The command line is what rosco builds for
/// HELM3: <c>helm template RELEASE CHART --namespace NS</c>, the values files, the overrides as <c>--set-string</c> (<c>--set</c> with
/// rawOverrides), <c>--include-crds</c>, <c>--api-versions</c>, <c>--kube-version</c>.
/// </summary>
public sealed class HelmBakeTests : IAsyncLifetime
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("mizzen-helm-bake-");
    private KubernetesPipelineHarness engine = null!;

    private string FakeHelm => Path.Combine(folder.FullName, "fake-helm");

    private string Record => Path.Combine(folder.FullName, "argv.txt");

    public async Task InitializeAsync()
    {
        File.WriteAllText(FakeHelm, $$"""
            #!/bin/sh
            # fake-helm: a test's stand-in for helm 3 (records argv and values files, prints a manifest).
            record='{{Record}}'
            : > "$record"
            for argument in "$@"; do printf '%s\n' "$argument" >> "$record"; done
            previous=''
            for argument in "$@"; do
              if [ "$previous" = "--values" ]; then printf '# %s\n' "$(basename "$argument")" >> "$record.values"; cat "$argument" >> "$record.values"; fi
              previous="$argument"
            done
            if [ "$1" != "template" ] || [ ! -f "$3/Chart.yaml" ]; then echo "Error: expected 'template RELEASE CHART' with a Chart.yaml in CHART" >&2; exit 1; fi
            cat <<YAML
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: $2-web
            spec:
              replicas: 2
              selector:
                matchLabels: {app: $2-web}
              template:
                metadata:
                  labels: {app: $2-web}
                spec:
                  containers:
                  - name: web
                    image: registry.example.com/web:3.1
            YAML
            """);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(FakeHelm, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        engine = await KubernetesPipelineHarness.StartAsync(configure: services =>
        {
            services.Configure<ArtifactOptions>(o => o.Accounts.Add(new ArtifactAccountOptions { Name = "repos", Types = { "git/repo" }, BaseUrl = "file://" + folder.FullName }));
            services.Configure<Bake.HelmOptions>(o => o.Path = FakeHelm);
        });
    }

    public async Task DisposeAsync()
    {
        await engine.DisposeAsync();
        GitRepositories.Delete(folder);
    }

    [Fact]
    public async Task A_helm3_bake_runs_helm_template_with_roscos_command_line_and_deploy_manifest_deploys_the_result()
    {
        var repo = ChartRepository();
        var values = Convert.ToBase64String(Encoding.UTF8.GetBytes("replicaCount: 2\nimage:\n  tag: \"3.1\"\n"));

        var run = await engine.RunAsync($$$"""
            {"stages":[
              {"refId":"1","type":"bakeManifest","name":"bake","templateRenderer":"HELM3","outputName":"shop",
               "namespace":"prod","includeCRDs":true,"apiVersions":"monitoring.coreos.com/v1","kubeVersion":"1.32.0",
               "overrides":{"image.tag":"3.1","replicaCount":"2"},
               "inputArtifacts":[
                 {"account":"repos","artifact":{"type":"git/repo","reference":"file://{{{repo}}}","version":"main"}},
                 {"artifact":{"type":"embedded/base64","name":"values","reference":"{{{values}}}"}}],
               "helmChartFilePath":"charts/web/Chart.yaml",
               "expectedArtifacts":[{"id":"baked","matchArtifact":{"type":"embedded/base64","name":"shop"}}]},
              {"refId":"2","requisiteStageRefIds":["1"],"type":"deployManifest","name":"deploy","account":"fake","cloudProvider":"kubernetes",
               "moniker":{"app":"shop"},"source":"artifact","manifestArtifactId":"baked","skipExpressionEvaluation":true}
            ]}
            """);

        run.Status.ShouldBe(ExecutionStatus.Succeeded, ManifestOperationTests.Describe(run));
        var argv = File.ReadAllLines(Record);
        argv[..2].ShouldBe(["template", "shop"], "helm 3's order: the release, then the chart");
        argv[2].ShouldEndWith("/charts/web");
        Pairs(argv, "--namespace").ShouldBe(["prod"]);
        Pairs(argv, "--set-string").ShouldBe(["image.tag=3.1", "replicaCount=2"]);
        Pairs(argv, "--set").ShouldBeEmpty();
        Pairs(argv, "--api-versions").ShouldBe(["monitoring.coreos.com/v1"]);
        Pairs(argv, "--kube-version").ShouldBe(["1.32.0"]);
        argv.ShouldContain("--include-crds");
        Pairs(argv, "--values").Length.ShouldBe(1);
        File.ReadAllText(Record + ".values").ShouldContain("replicaCount: 2\nimage:\n  tag: \"3.1\"");
        Array.IndexOf(argv, "--values").ShouldBeLessThan(Array.IndexOf(argv, "--set-string"));
        var baked = Encoding.UTF8.GetString(Convert.FromBase64String(run.Stages[0].Outputs["artifacts"]![0]!["reference"]!.GetValue<string>()));
        baked.ShouldContain("name: shop-web");
        var deployment = engine.Server.Get("apps/v1", "Deployment", "default", "shop-web").ShouldNotBeNull();
        deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>().ShouldBe("registry.example.com/web:3.1");
    }

    [Fact]
    public async Task Raw_overrides_go_as_set_and_a_failing_helm_fails_the_stage_with_its_last_error_line()
    {
        var repo = ChartRepository(withChartYaml: false);

        var run = await engine.RunAsync(Bake(repo, "charts/web"));

        run.Status.ShouldBe(ExecutionStatus.Terminal);
        ManifestOperationTests.Describe(run).ShouldContain("expected 'template RELEASE CHART' with a Chart.yaml in CHART");
        var argv = File.ReadAllLines(Record);
        Pairs(argv, "--set").ShouldBe(["replicaCount=3"]);
        Pairs(argv, "--set-string").ShouldBeEmpty();
        Pairs(argv, "--namespace").ShouldBeEmpty();
        argv.ShouldNotContain("--include-crds");
    }

    [Fact]
    public async Task A_chart_path_missing_from_the_repository_is_named_as_helmChartFilePath()
    {
        var repo = ChartRepository(withChartYaml: false);

        var run = await engine.RunAsync(Bake(repo, "charts/web/Chart.yaml"));

        run.Status.ShouldBe(ExecutionStatus.Terminal);
        ManifestOperationTests.Describe(run).ShouldContain("helmChartFilePath: 'charts/web/Chart.yaml' does not exist in the input artifact");
        File.Exists(Record).ShouldBeFalse("helm never ran");
    }

    private static string Bake(string repo, string chartPath) => $$$"""
        {"stages":[
          {"refId":"1","type":"bakeManifest","name":"bake","templateRenderer":"HELM3","outputName":"shop","rawOverrides":true,
           "overrides":{"replicaCount":3},
           "inputArtifact":{"account":"repos","artifact":{"type":"git/repo","reference":"file://{{{repo}}}","version":"main"}},
           "helmChartFilePath":"{{{chartPath}}}",
           "expectedArtifacts":[{"id":"baked","matchArtifact":{"type":"embedded/base64","name":"shop"}}]}
        ]}
        """;

    /// <summary>The values that follow each occurrence of <paramref name="flag"/>.</summary>
    private static string[] Pairs(string[] argv, string flag) =>
        [.. argv.Select((a, i) => (a, i)).Where(p => p.a == flag && p.i + 1 < argv.Length).Select(p => argv[p.i + 1])];

    /// <summary>A git repository holding <c>charts/web</c> (Chart.yaml, values.yaml, a template), committed on main.</summary>
    private string ChartRepository(bool withChartYaml = true)
    {
        var repo = Path.Combine(folder.FullName, "charts-repo");
        var chart = Directory.CreateDirectory(Path.Combine(repo, "charts", "web")).FullName;
        if (withChartYaml)
        {
            File.WriteAllText(Path.Combine(chart, "Chart.yaml"), "apiVersion: v2\nname: web\nversion: 0.1.0\n");
        }

        File.WriteAllText(Path.Combine(chart, "values.yaml"), "replicaCount: 1\n");
        Directory.CreateDirectory(Path.Combine(chart, "templates"));
        File.WriteAllText(Path.Combine(chart, "templates", "deployment.yaml"), "# rendered by helm\n");
        GitRepositories.CommitAll(repo, "chart");
        return repo;
    }
}
