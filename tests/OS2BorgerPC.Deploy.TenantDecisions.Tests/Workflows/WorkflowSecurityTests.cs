using System.Text.RegularExpressions;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using OS2BorgerPC.Deploy.TenantDecisions.Security;
using YamlDotNet.RepresentationModel;
using OS2BorgerPC.Deploy.Testing;
using static OS2BorgerPC.Deploy.Testing.WorkflowFiles;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests.Workflows;

/// <summary>
/// Least privilege in the GitHub Actions workflows, checked on the parsed YAML: who gets which token
/// permissions, which jobs sign in as which environment's identity, that no caller hands its secrets on,
/// that forks run no stack, that every action is pinned by commit, and that updates queue per tenant and
/// retry what failed.
/// </summary>
public sealed partial class WorkflowSecurityTests
{
    public static TheoryData<string> Workflows() => new(WorkflowFiles.Workflows);

    public static TheoryData<string> YamlFiles() => new(AllYaml);

    /// <summary>Every job's token permissions, exactly: anything else a change adds fails here first.</summary>
    public static TheoryData<string, string, string> JobPermissions() => new()
    {
        { "ci", "test", "contents: read" }, // the workflow's
        { "image-scan", "images", "contents: read" },
        { "image-scan", "scan", "contents: read" },
        { "preview", "changed", "contents: read" },
        { "preview", "preview", "contents: read, id-token: write, pull-requests: write" },
        { "preview", "platform-preview", "contents: read, id-token: write, pull-requests: write" },
        { "preview", "foundation-preview", "contents: read, id-token: write, pull-requests: write" },
        { "drift", "tenants", "contents: read" },
        { "drift", "drift", "contents: read, id-token: write" },
        { "drift", "platform-drift", "contents: read, id-token: write" },
        { "drift", "foundation-drift", "contents: read, id-token: write" },
        { "drift", "status", "contents: read, id-token: write" },
        // The only job that may write issues (the fleet attention issue), with no cloud identity.
        { "drift", "attention", "issues: write" },
        { "deploy", "behind", "contents: read, id-token: write" },
        // The updates count the run's failed jobs for the failure threshold (ring-threshold.sh): actions: read.
        { "deploy", "platform", "actions: read, contents: read, id-token: write" },
        { "deploy", "canary", "actions: read, contents: read, id-token: write" },
        { "deploy", "canary-status", "contents: read, id-token: write" },
        { "deploy", "early", "actions: read, contents: read, id-token: write" },
        { "deploy", "early-status", "contents: read, id-token: write" },
        { "deploy", "broad", "actions: read, contents: read, id-token: write" },
        { "deploy", "broad-status", "contents: read, id-token: write" },
        { "ring-status", "status", "(the calling job's)" },
        { "restore-drill", "turn", "contents: read" },
        { "restore-drill", "drill", "contents: read, id-token: write" },
        { "tenant-stacks", "program", "contents: read" },
        { "tenant-stacks", "stack", "(the calling job's)" },
    };

    [Theory]
    [MemberData(nameof(JobPermissions))]
    public void Every_job_has_exactly_the_token_permissions_it_needs(string workflow, string job, string expected)
    {
        var yaml = Workflow(workflow);
        var permissions = yaml.Jobs()[job].Permissions() ?? yaml.Permissions();

        Describe(permissions).ShouldBe(expected, $"{workflow}.yml: {job}");
    }

    [Fact]
    public void The_permissions_table_covers_every_job() =>
        WorkflowFiles.Workflows.SelectMany(file => Load(file).Jobs().Keys.Select(job => $"{Path.GetFileNameWithoutExtension(file)}/{job}"))
            .ShouldBe(JobPermissions().Select(row => $"{row[0]}/{row[1]}"), ignoreOrder: true);

    [Theory]
    [MemberData(nameof(Workflows))]
    public void No_workflow_grants_more_than_read_at_the_top(string file)
    {
        var permissions = Load(file).Permissions();

        if (IsCalled(file))
        {
            // A called workflow's jobs take their caller's permissions; a top-level block would take them away.
            permissions.ShouldBeNull(file);
            return;
        }
        permissions.ShouldNotBeNull(file).Values.ShouldAllBe(access => access == "read", file);
    }

    [Theory]
    [MemberData(nameof(Workflows))]
    public void No_caller_passes_secrets_inherit(string file)
    {
        foreach (var (name, job) in Load(file).Jobs())
        {
            job.Get("secrets").ShouldBeNull($"{file}: {name} passes secrets to the called workflow; each environment holds its own");
        }
    }

    [Theory]
    [MemberData(nameof(YamlFiles))]
    public void Every_action_is_pinned_by_full_commit_sha(string file)
    {
        foreach (var uses in Load(file).Scalars("uses").Where(u => !u.StartsWith("./", StringComparison.Ordinal)))
        {
            PinnedAction().IsMatch(uses).ShouldBeTrue($"{file}: pin {uses} to a full commit SHA (with the version in a comment)");
        }
    }

    /// <summary>A secret or a cloud identity only where an environment's protection rules and identity apply.</summary>
    [Theory]
    [MemberData(nameof(Workflows))]
    public void Secrets_and_identities_are_used_only_in_jobs_with_an_environment(string file)
    {
        foreach (var (name, job) in Load(file).Jobs())
        {
            var usesSecrets = job.AllScalars().Any(value => value.Contains("secrets.", StringComparison.Ordinal));
            var signsIn = job.Scalars("uses").Any(u => u.StartsWith("azure/login@", StringComparison.Ordinal));
            if (usesSecrets || signsIn)
            {
                job.Get("environment").ShouldNotBeNull($"{file}: {name} uses a secret or signs in to Azure outside an environment");
            }
        }
    }

    /// <summary>The two environments, and which operation runs in which.</summary>
    [Theory]
    [InlineData("preview", "preview", "preview")]
    [InlineData("preview", "platform-preview", "preview")]
    [InlineData("preview", "foundation-preview", "preview")]
    [InlineData("drift", "drift", "preview")]
    [InlineData("drift", "platform-drift", "preview")]
    [InlineData("drift", "foundation-drift", "preview")]
    [InlineData("deploy", "platform", "platform")]
    [InlineData("deploy", "canary", "production")]
    [InlineData("deploy", "early", "production")]
    [InlineData("deploy", "broad", "production")]
    public void Each_stack_operation_runs_in_its_environment(string workflow, string job, string environment)
    {
        var call = Workflow(workflow).Jobs()[job];

        call.Text("uses").ShouldBe("./.github/workflows/tenant-stacks.yml");
        var with = call.Get("with").ShouldNotBeNull();
        with.Text("environment").ShouldBe(environment);
        var identity = CiIdentities.All.Single(i => i.Environment == environment);
        identity.Operations.ShouldContain(with.Text("operation")!);
        identity.Projects.ShouldContain(with.Text("project") ?? CiIdentities.TenantProject);
    }

    [Fact]
    public void The_stack_jobs_take_the_callers_environment_and_refuse_a_mismatch()
    {
        var workflow = Workflow("tenant-stacks");
        var input = workflow.Get("on")!.Get("workflow_call")!.Get("inputs")!.Get("environment")!;
        input.Text("required").ShouldBe("true");
        var stack = workflow.Jobs()["stack"];
        stack.Text("environment").ShouldBe("${{ inputs.environment }}");
        var env = stack.Get("env")!;
        (env.Text("OPERATION"), env.Text("ENVIRONMENT"), env.Text("PROJECT")).ShouldBe(("${{ inputs.operation }}", "${{ inputs.environment }}", "${{ inputs.project }}"));
        stack.Steps().First().Text("name").ShouldBe("The operation runs as the identity meant for it", "the guard runs before anything signs in");
    }

    /// <summary>
    /// The guard, run by bash as GitHub runs a step, accepts exactly what CiIdentities lets each environment's identity do:
    /// every operation tenant-stacks.yml has, in every environment, on every project, and on ones that do not exist.
    /// So no identity runs another's operation, and nothing runs a foundation's up (no identity has it).
    /// </summary>
    [Fact]
    public void The_stack_guard_accepts_exactly_the_pairings_CiIdentities_allows()
    {
        string[] projects = [CiIdentities.TenantProject, CiIdentities.PlatformProject, CiIdentities.FoundationProject, "other"];
        string[] environments = [.. CiIdentities.All.Select(i => i.Environment), "other"];
        var operations = StackOperations().Append("destroy").ToList();
        operations.ShouldBe(["preview", "up", "drift", "destroy"], ignoreOrder: true);

        foreach (var (operation, environment, project) in
                 from o in operations from e in environments from p in projects select (o, e, p))
        {
            var identity = CiIdentities.All.SingleOrDefault(i => i.Environment == environment);
            var allowed = operation != "destroy" && identity is not null && identity.Operations.Contains(operation) && identity.Projects.Contains(project);

            var (exitCode, output) = RunGuard(operation, environment, project, "refs/heads/main");

            (exitCode == 0).ShouldBe(allowed, $"{operation} of {project} in {environment}: {output}");
            if (!allowed)
            {
                output.ShouldContain("::error::");
            }
        }
    }

    [Fact]
    public void The_stack_guard_refuses_an_up_from_another_branch_and_a_foundation_up_with_the_reason()
    {
        var (exitCode, output) = RunGuard("up", CiIdentities.ProductionEnvironment, CiIdentities.TenantProject, "refs/heads/feature");
        exitCode.ShouldBe(1);
        output.ShouldContain("pulumi up runs from main only, not from refs/heads/feature.");

        (exitCode, output) = RunGuard("up", CiIdentities.PlatformEnvironment, CiIdentities.FoundationProject, "refs/heads/main");
        exitCode.ShouldBe(1);
        output.ShouldContain("::error::The foundation's up never runs in CI: an operator runs the foundation's up by hand");
    }

    /// <summary>The operations the stack job has a step for (<c>inputs.operation == '...'</c>).</summary>
    private static IEnumerable<string> StackOperations() =>
        Workflow("tenant-stacks").Jobs()["stack"].Steps().Select(s => s.Text("if") ?? "")
            .SelectMany(condition => OperationTest().Matches(condition).Select(m => m.Groups[1].Value)).Distinct();

    /// <summary>The stack job's first step, run by bash -e as GitHub runs it, with the job's variables.</summary>
    private static (int ExitCode, string Output) RunGuard(string operation, string environment, string project, string gitRef)
    {
        var guard = Workflow("tenant-stacks").Jobs()["stack"].Steps().First().Text("run").ShouldNotBeNull();
        var start = new System.Diagnostics.ProcessStartInfo("bash", ["-e", "-c", guard]);
        start.Environment["OPERATION"] = operation;
        start.Environment["ENVIRONMENT"] = environment;
        start.Environment["PROJECT"] = project;
        start.Environment["GITHUB_REF"] = gitRef;
        var (exitCode, output, error) = ChildProcess.Run(start, TimeSpan.FromSeconds(30));
        return (exitCode, output + error);
    }

    [Fact]
    public void Only_the_ci_identities_environments_exist() =>
        WorkflowFiles.Workflows.SelectMany(file => Load(file).Scalars("environment"))
            .Where(e => !e.StartsWith("${{", StringComparison.Ordinal)).Distinct()
            .ShouldBeSubsetOf(CiIdentities.All.Select(i => i.Environment));

    [Fact]
    public void Pull_requests_from_forks_run_no_stack()
    {
        foreach (var job in new[] { "preview", "platform-preview", "foundation-preview" })
        {
            Workflow("preview").Jobs()[job].Text("if").ShouldNotBeNull().ShouldContain("github.event.pull_request.head.repo.full_name == github.repository");
        }
        WorkflowFiles.Workflows.SelectMany(file => Load(file).Get("on") is YamlMappingNode on ? on.Children.Keys.Select(k => k.ToString()) : [])
            .ShouldNotContain("pull_request_target");
    }

    [Fact]
    public void Up_queues_per_tenant_and_is_never_cancelled()
    {
        var concurrency = Workflow("tenant-stacks").Jobs()["stack"].Get("concurrency").ShouldNotBeNull();

        var group = concurrency.Text("group").ShouldNotBeNull();
        group.ShouldContain("matrix.tenant");
        // A platform stack and its foundation stack share a name; Pulumi locks each stack of each project on its own.
        group.ShouldStartWith("stack-${{ inputs.project }}-${{ matrix.tenant }}-");
        // up and drift share one group per tenant (never two at once); previews get their own per run.
        group.ShouldContain("inputs.operation == 'preview' && github.run_id || 'fleet'");
        concurrency.Text("cancel-in-progress").ShouldBe("false");
    }

    [Fact]
    public void The_deploy_selects_tenants_by_their_deployed_commit()
    {
        var behind = Workflow("deploy").Jobs()["behind"];
        behind.Get("env")!.Text("DEPLOYED_COMMIT_TAG").ShouldBe(CiIdentities.DeployedCommitTag);
        var run = string.Join('\n', behind.Scalars("run"));
        run.ShouldContain("pulumi stack tag get \"$DEPLOYED_COMMIT_TAG\"");
        run.ShouldContain("-- tenant changed --deployed \"$deployed\"");
        run.ShouldNotContain("github.event.before");

        var stack = Workflow("tenant-stacks").Jobs()["stack"];
        stack.Get("env")!.Text("DEPLOYED_COMMIT_TAG").ShouldBe(CiIdentities.DeployedCommitTag);
        var steps = stack.Steps().ToList();
        var update = steps.FindIndex(s => s.Text("name") == "Update");
        var record = steps.FindIndex(s => s.Text("run")?.Contains("pulumi stack tag set \"$DEPLOYED_COMMIT_TAG\" \"$GITHUB_SHA\"", StringComparison.Ordinal) == true);
        record.ShouldBeGreaterThan(update, "the tag is written after the update, so only a successful one writes it");
        steps[record].Text("if").ShouldBe("inputs.operation == 'up'");
        steps[record].Text("continue-on-error").ShouldBeNull();
        steps[update].Text("continue-on-error").ShouldBeNull();
    }

    [Fact]
    public void Deploys_run_from_main_only() =>
        Workflow("deploy").Jobs()["behind"].Text("if").ShouldBe("github.ref == 'refs/heads/main'");

    /// <summary>
    /// AKS: no credential is downloaded or stored; the platform's exec kubeconfig runs kubelogin, which in workload
    /// identity mode exchanges the job's own GitHub OIDC token for each call when ACTIONS_ID_TOKEN_REQUEST_* are set
    /// (Azure/kubelogin pkg/internal/token/provider.go), and AAD_LOGIN_METHOD overrides the kubeconfig's pinned mode
    /// (docs/book/src/concepts/login-modes/devicecode.md).
    /// </summary>
    [Fact]
    public void Aks_credentials_are_short_lived_through_entra_id()
    {
        var stack = Workflow("tenant-stacks").Jobs()["stack"];
        var steps = stack.Steps().ToList();

        steps.ShouldNotContain(s => s.Text("uses") != null && s.Text("uses")!.StartsWith("azure/aks-set-context@", StringComparison.Ordinal),
            "aks-set-context downloads a kubeconfig (listClusterUserCredential); the platform's exec kubeconfig needs none");
        steps.ShouldContain(s => s.Text("uses") != null && s.Text("uses")!.StartsWith("azure/use-kubelogin@", StringComparison.Ordinal));
        var env = stack.Get("env")!;
        env.Text(AksKubeconfig.LoginMethodVariable).ShouldBe(AksKubeconfig.CiLogin);
        env.Text("AZURE_CLIENT_ID").ShouldBe("${{ vars.AZURE_CLIENT_ID }}");
        env.Text("AZURE_TENANT_ID").ShouldBe("${{ vars.AZURE_TENANT_ID }}");
    }

    /// <summary>An expression inside a script is pasted into it before the shell runs: attacker text becomes code.</summary>
    [Theory]
    [MemberData(nameof(Workflows))]
    public void No_script_interpolates_an_expression(string file)
    {
        foreach (var run in Load(file).Scalars("run"))
        {
            run.ShouldNotContain("${{", customMessage: $"{file}: pass the value through env: and use the variable");
        }
    }

    [Theory]
    [MemberData(nameof(Workflows))]
    public void Checkouts_leave_no_token_in_the_working_copy(string file)
    {
        foreach (var (name, job) in Load(file).Jobs())
        {
            foreach (var checkout in job.Steps().Where(s => s.Text("uses")?.StartsWith("actions/checkout@", StringComparison.Ordinal) == true))
            {
                checkout.Get("with")?.Text("persist-credentials").ShouldBe("false", $"{file}: {name}");
            }
        }
    }

    /// <summary>Renovate's github-actions manager proposes each action's new commit with its version comment (helpers:pinGitHubActionDigests).</summary>
    [Fact]
    public void Renovate_keeps_the_pinned_actions_current()
    {
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "renovate.json")))!;

        config["enabledManagers"]!.AsArray().Select(m => m!.GetValue<string>()).ShouldContain("github-actions");
        config["extends"]!.AsArray().Select(m => m!.GetValue<string>()).ShouldContain("helpers:pinGitHubActionDigests");
    }

    /// <summary>A reusable workflow (on: workflow_call), whose jobs take their caller's permissions.</summary>
    private static bool IsCalled(string file) => Load(file).Get("on")?.Get("workflow_call") is not null;

    private static string Describe(IReadOnlyDictionary<string, string>? permissions) => permissions switch
    {
        null => "(the calling job's)",
        { Count: 0 } => "(none)",
        _ => string.Join(", ", permissions.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value}")),
    };

    [GeneratedRegex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$")]
    private static partial Regex PinnedAction();

    [GeneratedRegex(@"inputs\.operation == '([a-z]+)'")]
    private static partial Regex OperationTest();
}
