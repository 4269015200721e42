using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OS2BorgerPC.Deploy.TenantDecisions.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Security;
using OS2BorgerPC.Deploy.Testing;
using YamlDotNet.RepresentationModel;
using static OS2BorgerPC.Deploy.Testing.WorkflowFiles;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests.Workflows;

/// <summary>
/// How a change reaches the fleet, checked on the parsed workflows: the platform first, then the rings in order, each
/// gated on the one before; the failure threshold; one pinned Pulumi CLI; the platform's preview and drift check as
/// the read-only identity; and every kind of pin kept current by Renovate.
/// </summary>
public sealed partial class RolloutWorkflowTests
{
    private static readonly string[] Rings = [.. Enum.GetValues<RolloutRing>().Select(r => r.ToString().ToLowerInvariant())];

    private static IReadOnlyDictionary<string, YamlMappingNode> Deploy => Workflow("deploy").Jobs();

    private static IReadOnlyList<string> Needs(YamlMappingNode job) => job.Get("needs") switch
    {
        YamlScalarNode one => [one.Value!],
        YamlSequenceNode many => [.. many.Children.Select(n => n.ToString())],
        _ => [],
    };

    [Fact]
    public void The_rings_are_canary_early_broad_in_that_order() => Rings.ShouldBe(["canary", "early", "broad"]);

    [Fact]
    public void Each_ring_updates_only_its_own_tenants_in_production_after_the_platform()
    {
        foreach (var ring in Rings)
        {
            var job = Deploy[ring];
            job.Text("uses").ShouldBe("./.github/workflows/tenant-stacks.yml");
            var with = job.Get("with")!;
            with.Text("operation").ShouldBe("up");
            with.Text("environment").ShouldBe(CiIdentities.ProductionEnvironment);
            with.Text("tenants").ShouldBe($"${{{{ needs.behind.outputs.{ring} }}}}");
            Needs(job).ShouldContain("platform");
            job.Text("if").ShouldNotBeNull().ShouldContain("(needs.platform.result == 'success' || needs.behind.outputs.platforms == '[]')");
        }
        // The rings' tenants come from the CLI's plan (RolloutPlan), not from a list kept in the workflow.
        string.Join('\n', Deploy["behind"].Scalars("run")).ShouldContain("-- fleet plan --tenants \"$tenants\"");
    }

    [Fact]
    public void Each_ring_starts_only_after_every_ring_before_it_updated_and_is_healthy()
    {
        for (var i = 0; i < Rings.Length; i++)
        {
            var ring = Rings[i];
            var status = Deploy[$"{ring}-status"];
            status.Text("uses").ShouldBe("./.github/workflows/ring-status.yml");
            status.Get("with")!.Text("ring").ShouldBe(ring);
            Needs(status).ShouldContain(ring);
            // No status function in its condition: GitHub adds success(), so it runs only when the ring's updates all succeeded.
            status.Text("if").ShouldBe($"needs.behind.outputs.{ring} != '[]'");

            var job = Deploy[ring];
            var condition = job.Text("if").ShouldNotBeNull();
            condition.ShouldStartWith("!cancelled() && needs.behind.result == 'success'");
            foreach (var earlier in Rings[..i])
            {
                Needs(job).ShouldContain($"{earlier}-status");
                condition.ShouldContain($"(needs.{earlier}-status.result == 'success' || needs.behind.outputs.{earlier} == '[]')");
            }
        }
        // The gate fails when a tenant of the ring needs attention (fleet status exits 1).
        string.Join('\n', Workflow("ring-status").Jobs()["status"].Scalars("run")).ShouldContain("-- fleet status --ring \"$RING\"");
    }

    [Fact]
    public void Tenants_are_updated_after_their_platform_and_the_platform_update_is_gated_by_its_own_environment()
    {
        var platform = Deploy["platform"];
        Needs(platform).ShouldBe(["behind"]);
        var with = platform.Get("with")!;
        (with.Text("operation"), with.Text("project"), with.Text("environment")).ShouldBe(("up", "platform", CiIdentities.PlatformEnvironment));
        with.Text("tenants").ShouldBe("${{ needs.behind.outputs.platforms }}");
        // A tenant file added or removed puts the platform behind: it grants the CI identities their rights in the tenant's namespace.
        var behind = Deploy["behind"].Steps().Single(step => step.Text("id") == "platforms").Text("run").ShouldNotBeNull();
        behind.ShouldContain("git diff --name-only --diff-filter=AD \"$commit\" HEAD -- 'stacks/Pulumi.*.yaml'");
    }

    [Fact]
    public void The_threshold_stops_a_ring_s_unstarted_updates_and_so_the_rollout()
    {
        foreach (var ring in Rings)
        {
            Deploy[ring].Get("with")!.Text("max-failures").ShouldBe("${{ fromJSON(needs.behind.outputs.max-failures) }}");
            Deploy[ring].Permissions()!["actions"].ShouldBe("read", "the threshold counts the run's failed jobs");
        }
        string.Join('\n', Deploy["behind"].Scalars("run")).ShouldContain("echo \"max-failures=$(jq .maxFailuresPercent <<<\"$plan\")\"");

        var stack = Workflow("tenant-stacks").Jobs()["stack"];
        // fail-fast would cancel running updates, leaving pending operations in their state: the threshold stops starts instead.
        stack.Get("strategy")!.Text("fail-fast").ShouldBe("false");
        var steps = stack.Steps().ToList();
        var threshold = steps.FindIndex(s => s.Text("run") == "bash .github/scripts/ring-threshold.sh \"$RING\" \"$MAX_FAILURES\"");
        var update = steps.FindIndex(s => s.Text("name") == "Update");
        threshold.ShouldBeGreaterThanOrEqualTo(0);
        threshold.ShouldBeLessThan(update, "checked before the update starts");
        steps[threshold].Text("if").ShouldBe("inputs.operation == 'up'");
        steps[threshold].Text("continue-on-error").ShouldBeNull();
        steps[threshold].Get("env")!.Text("RING").ShouldBe("${{ inputs.tenants }}");
    }

    /// <summary>The threshold's rule in the script is RolloutThreshold.IsCrossed's, the one `fleet up` uses.</summary>
    [Fact]
    public void The_workflow_threshold_is_the_fleet_runner_s_rule()
    {
        var script = File.ReadAllText(Path.Combine(Root, ".github/scripts/ring-threshold.sh"));

        script.ShouldContain("if [ \"$count\" -gt 0 ] && [ $((count * 100)) -gt $((percent * stacks)) ]; then");
        new Fleet.RolloutThreshold(10).IsCrossed(2, 10).ShouldBeTrue();
        new Fleet.RolloutThreshold(10).IsCrossed(1, 10).ShouldBeFalse();
    }

    /// <summary>pulumi/actions v7.0.0 installs '^3' (the newest CLI that day) unless given pulumi-version or pulumi-version-file
    /// (pulumi/actions, src/config.ts at v7.0.0), and every step with a command installs again.</summary>
    [Fact]
    public void Every_pulumi_actions_step_installs_the_one_pinned_version()
    {
        var steps = WorkflowFiles.Workflows.SelectMany(file => Load(file).Jobs().Values.SelectMany(job => job.Steps()))
            .Where(s => s.Text("uses")?.StartsWith("pulumi/actions@", StringComparison.Ordinal) == true).ToList();

        steps.Count.ShouldBeGreaterThanOrEqualTo(5);
        steps.ShouldAllBe(s => s.Get("with") != null && s.Get("with")!.Text("pulumi-version-file") == PulumiCliPin.FileName && s.Get("with")!.Text("pulumi-version") == null);
        PulumiCliPin.Read(RepositoryRoot.Workspace()).Problem.ShouldBeNull();
    }

    [Theory]
    [InlineData("preview", "platform-preview", "preview")]
    [InlineData("drift", "platform-drift", "drift")]
    public void The_platform_s_preview_and_drift_check_run_as_the_read_only_identity(string workflow, string job, string operation)
    {
        var call = Workflow(workflow).Jobs()[job];

        call.Text("uses").ShouldBe("./.github/workflows/tenant-stacks.yml");
        var with = call.Get("with")!;
        (with.Text("operation"), with.Text("project"), with.Text("environment")).ShouldBe((operation, "platform", CiIdentities.PreviewEnvironment));
        CiIdentities.All.Single(i => i.Environment == CiIdentities.PreviewEnvironment).Operations.ShouldContain(operation);
    }

    [Fact]
    public void A_pull_request_that_touches_the_platform_previews_every_platform_stack()
    {
        var run = string.Join('\n', Workflow("preview").Jobs()["changed"].Scalars("run"));

        foreach (var path in new[] { "infra/OS2BorgerPC.Deploy.PlatformProgram", "infra/OS2BorgerPC.Deploy.PlatformDecisions", "stacks/platform", PulumiCliPin.FileName })
        {
            run.ShouldContain($" {path}");
        }
        run.ShouldContain("-- platform list --json");
    }

    [Fact]
    public void The_stack_jobs_run_the_platform_s_program_in_its_project_for_platform_stacks()
    {
        var workflow = Workflow("tenant-stacks");
        workflow.Get("on")!.Get("workflow_call")!.Get("inputs")!.Get("project")!.Text("default").ShouldBe("tenant");
        var stack = workflow.Jobs()["stack"];
        stack.Get("env")!.Text("PROJECT_DIR").ShouldStartWith("${{ inputs.project == 'platform' && 'infra/OS2BorgerPC.Deploy.PlatformProgram' || ");
        foreach (var step in stack.Steps().Where(s => s.Text("uses")?.StartsWith("pulumi/actions@", StringComparison.Ordinal) == true && s.Get("with")?.Text("command") is not null))
        {
            step.Get("with")!.Text("work-dir").ShouldBe("${{ env.PROJECT_DIR }}");
        }
        foreach (var run in stack.Scalars("run").Where(r => r.Contains("pulumi stack ", StringComparison.Ordinal)))
        {
            foreach (Match call in PulumiStackCommand().Matches(run))
            {
                call.Value.ShouldContain("--cwd \"$PROJECT_DIR\"");
            }
        }
    }

    /// <summary>Renovate proposes every kind of pin: NuGet, the actions' SHAs, the Helm charts and the images (and the CLI).</summary>
    [Fact]
    public void Renovate_covers_the_four_kinds_of_pin_and_moves_the_pulumi_packages_and_cli_together()
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "renovate.json")))!.AsObject();
        config["enabledManagers"]!.AsArray().Select(m => m!.GetValue<string>()).ShouldBe(["nuget", "github-actions", "custom.regex"], ignoreOrder: true);
        File.Exists(Path.Combine(Root, ".github/dependabot.yml")).ShouldBeFalse("one bot: two would propose the same action updates");

        var managers = config["customManagers"]!.AsArray().Select(m => m!.AsObject()).ToList();
        Manager(managers, "ChartVersions.cs", "helm").ShouldNotBeNull("the Helm charts from https repositories");
        Manager(managers, "ChartVersions.cs", "docker").ShouldNotBeNull("the OCI-published charts");
        Manager(managers, "Runtime.cs", "docker").ShouldNotBeNull("the images every tenant runs");
        Manager(managers, "CloudNativePg.cs", "docker").ShouldNotBeNull("the CloudNativePG PostgreSQL image");
        Manager(managers, "pulumi-version", "github-releases").ShouldNotBeNull("the Pulumi CLI");

        var pulumi = config["packageRules"]!.AsArray().Single(r => r!["groupName"]?.GetValue<string>() == "pulumi")!;
        pulumi["matchPackageNames"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(["/^Pulumi(\\..+)?$/", "pulumi/pulumi"]);
    }

    /// <summary>Each manager's pattern finds what it is for in the files as they are (Renovate's regex flavour is ECMAScript's; these are plain).</summary>
    [Theory]
    [InlineData("infra/OS2BorgerPC.Deploy.PlatformDecisions/Model/ChartVersions.cs", "helm", new[] { "cert-manager=v1.21.1", "cloudnative-pg=0.29.0", "plugin-barman-cloud=0.7.0" })]
    [InlineData("infra/OS2BorgerPC.Deploy.PlatformDecisions/Model/ChartVersions.cs", "docker", new[] { "docker.io/envoyproxy/gateway-helm=v1.9.0" })]
    [InlineData("infra/OS2BorgerPC.Deploy.TenantDecisions/Model/Runtime.cs", "docker", new[] { "docker.io/library/postgres=17.6-bookworm", "docker.io/nginxinc/nginx-unprivileged=1.27.5-alpine", "docker.io/curlimages/curl=8.11.1", "docker.io/restic/restic=0.17.3" })]
    [InlineData("infra/OS2BorgerPC.Deploy.TenantDecisions/Backup/CloudNativePg.cs", "docker", new[] { "ghcr.io/cloudnative-pg/postgresql=17.6" })]
    [InlineData(".pulumi-version", "github-releases", new[] { "=3.272.0" })]
    public void Each_regex_manager_finds_the_pins_in_its_file(string file, string datasource, string[] pins)
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "renovate.json")))!.AsObject();
        var manager = Manager([.. config["customManagers"]!.AsArray().Select(m => m!.AsObject())], Path.GetFileName(file), datasource).ShouldNotBeNull();
        var text = File.ReadAllText(Path.Combine(Root, file));

        var found = manager["matchStrings"]!.AsArray().SelectMany(p => new Regex(p!.GetValue<string>()).Matches(text))
            .Select(m => $"{m.Groups["depName"].Value}={m.Groups["currentValue"].Value}").ToList();

        found.ShouldBe(pins, ignoreOrder: true);
        Images.All.Concat([Backup.CloudNativePg.PostgresImage]).ShouldAllBe(image => !image.Contains(' '));
    }

    /// <summary>
    /// A regex manager adds a digest where none is written only through autoReplaceStringTemplate (Renovate docs, "Regex
    /// manager": pinDigests needs it; renovatebot/renovate discussion #29068): the template must give back the matched
    /// text for the same tag and digest, and the images' files are digest-pinned.
    /// </summary>
    [Theory]
    [InlineData("\"docker.io/restic/restic:0.17.3\"", "0.17.3", null)]
    [InlineData("\"ghcr.io/cloudnative-pg/postgresql:17.6@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"", "17.6", "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void Renovate_pins_the_tenants_images_by_the_digest_it_reads_and_writes_them_back_in_the_same_shape(string written, string tag, string? digest)
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "renovate.json")))!.AsObject();
        var manager = Manager([.. config["customManagers"]!.AsArray().Select(m => m!.AsObject())], "Runtime.cs", "docker").ShouldNotBeNull();
        var match = new Regex(manager["matchStrings"]![0]!.GetValue<string>()).Match(written);

        match.Success.ShouldBeTrue();
        (match.Groups["currentValue"].Value, match.Groups["currentDigest"].Success ? match.Groups["currentDigest"].Value : null).ShouldBe((tag, digest));
        var template = manager["autoReplaceStringTemplate"]!.GetValue<string>();
        var rendered = Regex.Replace(template, @"\{\{#if newDigest\}\}(.*?)\{\{/if\}\}", m => digest is null ? "" : m.Groups[1].Value)
            .Replace("{{{depName}}}", match.Groups["depName"].Value).Replace("{{{newValue}}}", tag).Replace("{{{newDigest}}}", digest);
        rendered.ShouldBe(written);
        var pinning = config["packageRules"]!.AsArray().Select(r => r!.AsObject()).Single(r => r["pinDigests"]?.GetValue<bool>() == true);
        pinning["matchFileNames"]!.AsArray().Select(f => f!.GetValue<string>())
            .ShouldBe(["infra/OS2BorgerPC.Deploy.TenantDecisions/Model/Runtime.cs", "infra/OS2BorgerPC.Deploy.TenantDecisions/Backup/CloudNativePg.cs"], ignoreOrder: true);
    }

    [Fact]
    public void The_fleet_s_admin_site_release_is_proposed_too_and_reaches_tenants_through_the_rings()
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "renovate.json")))!.AsObject();
        var manager = Manager([.. config["customManagers"]!.AsArray().Select(m => m!.AsObject())], "Pulumi", "docker").ShouldNotBeNull();

        manager["depNameTemplate"]!.GetValue<string>().ShouldBe(AdminSiteRelease.ImageRepository);
        var match = new Regex(manager["matchStrings"]![0]!.GetValue<string>()).Match(File.ReadAllText(Path.Combine(Root, "Pulumi.yaml")));
        match.Groups["currentValue"].Value.ShouldBe(RepositoryRoot.Tenant("demo").Release.VersionText);
    }

    /// <summary>Every proposal is a branch here: ci.yml runs on it, with the control-plane tier's programs installed first.</summary>
    [Fact]
    public void Ci_runs_on_every_proposal_with_the_control_plane_tier()
    {
        var ci = Workflow("ci");
        ((YamlMappingNode)ci.Get("on")!).Children.Keys.Select(k => k.ToString()).ShouldBe(["push", "pull_request"], ignoreOrder: true);
        var runs = ci.Jobs()["test"].Steps().Select(s => s.Text("run") ?? "").ToList();
        var controlPlane = runs.FindIndex(r => r.Contains("bash tests/OS2BorgerPC.Deploy.ControlPlane.Tests/get-control-plane.sh --check", StringComparison.Ordinal));
        controlPlane.ShouldBeGreaterThanOrEqualTo(0);
        controlPlane.ShouldBeLessThan(runs.IndexOf("bash tests/run.sh"));
    }

    private static JsonObject? Manager(IEnumerable<JsonObject> managers, string file, string datasource) =>
        managers.SingleOrDefault(m => m["datasourceTemplate"]!.GetValue<string>() == datasource
            && m["managerFilePatterns"]!.AsArray().Any(p => p!.GetValue<string>().Contains(Regex.Escape(file).Replace("\\-", "-"), StringComparison.Ordinal)));

    [GeneratedRegex(@"pulumi stack (select|tag (get|set))[^\n]*")]
    private static partial Regex PulumiStackCommand();
}
