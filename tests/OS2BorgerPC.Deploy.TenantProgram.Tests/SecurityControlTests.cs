using System.Collections.Immutable;
using OS2BorgerPC.Deploy.TenantProgram.Components;
using OS2BorgerPC.Deploy.TenantProgram.Tests.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Security;
using Pulumi.Kubernetes.Batch.V1;
using Pulumi.Kubernetes.Core.V1;
using Pulumi.Kubernetes.Rbac.V1;
using Deployment = Pulumi.Kubernetes.Apps.V1.Deployment;

namespace OS2BorgerPC.Deploy.TenantProgram.Tests;

/// <summary>The least-privilege controls of docs/SECURITY.md, as the program provisions them (mocks).</summary>
[Collection(PulumiCollection.Name)]
public sealed class SecurityControlTests
{
    private const string Account = AzureTenantTests.Account;
    private const string Server = AzureTenantTests.Server;
    private const string Lock = AzureTenantTests.Lock;
    private const string AdAdministrator = "azure:postgresql/flexibleServerActiveDirectoryAdministrator:FlexibleServerActiveDirectoryAdministrator";
    private const string FederatedCredential = "azure:armmsi/federatedIdentityCredential:FederatedIdentityCredential";
    private const string FirewallRule = "azure:postgresql/flexibleServerFirewallRule:FlexibleServerFirewallRule";

    /// <summary>
    /// The deploying identity writes cluster-wide only <see cref="CiIdentities.TenantClusterScopedKinds"/> (its namespace-scoped
    /// grant reaches nothing else): every object a tenant stack registers is in the tenant's namespace, or of one of those kinds.
    /// </summary>
    [Theory]
    [InlineData("aarhus")]
    [InlineData("faelles-it")]
    [InlineData("demo")]
    public async Task Every_cluster_scoped_kind_a_tenant_stack_creates_is_one_the_deploy_identity_may_write_cluster_wide(string stack)
    {
        var run = await StackHarness.RunShipped(stack);

        var objects = run.KubernetesObjects.Where(o => o.Inputs.ContainsKey("metadata")).ToList();
        objects.ShouldNotBeEmpty();
        var clusterScoped = objects.Where(o => !RegisteredObjects.Map(o.Inputs["metadata"]).ContainsKey("namespace")).Select(o => o.Type).Distinct().ToList();
        clusterScoped.ShouldBe(CiIdentities.TenantClusterScopedKinds.Select(k => k.Type).ToList());
        objects.Where(o => !clusterScoped.Contains(o.Type)).ShouldAllBe(o => o.Namespace() == $"os2borgerpc-{stack}");
        // Nothing registered outside plain objects (a chart or a manifest file could hide cluster-scoped kinds).
        run.KubernetesObjects.Where(o => !o.Inputs.ContainsKey("metadata")).Select(o => o.Type).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_storage_account_admits_only_the_cluster_subnets()
    {
        var run = await StackHarness.RunShipped("aarhus");

        var account = run.Inputs.Single(i => i.Type == Account).Inputs;
        var rules = (IDictionary<string, object>)account["networkRules"];
        rules["defaultAction"].ShouldBe("Deny");
        ((ImmutableArray<object>)rules["bypasses"]).ShouldBe(["None"]);
        ((ImmutableArray<object>)rules["virtualNetworkSubnetIds"]).Cast<string>().ShouldHaveSingleItem().ShouldEndWith("/subnets/snet-aks-nodes");
        rules.ContainsKey("ipRules").ShouldBeFalse("no address outside the cluster's subnets");
        account["minTlsVersion"].ShouldBe("TLS1_2");
        account["allowNestedItemsToBePublic"].ShouldBe(false);
        account["localUserEnabled"].ShouldBe(false);
    }

    [Fact]
    public async Task The_lock_is_on_the_database_so_firewall_rules_stay_changeable()
    {
        var run = await StackHarness.Run("odense", AzureTenantTests.AzureStackFile(TenantDecisions.Municipalities.MunicipalityRegister.Find(461)!, "20.50.1.0/28"));

        var server = run.Resources.OfType<Pulumi.Azure.PostgreSql.FlexibleServer>().Single();
        var database = run.Resources.OfType<Pulumi.Azure.PostgreSql.FlexibleServerDatabase>().Single();
        var scopes = run.Inputs.Where(i => i.Type == Lock).Select(i => (string)i.Inputs["scope"]).ToList();
        scopes.ShouldContain(await database.Id.Value());
        scopes.ShouldNotContain(await server.Id.Value(), "a lock on the server reaches its firewall rules: shrinking clusterEgressRanges would fail with ScopeLocked");
        run.Inputs.ShouldContain(i => i.Type == FirewallRule);
    }

    [Fact]
    public async Task The_servers_administrator_password_stays_in_the_stack()
    {
        var run = await StackHarness.RunShipped("aarhus");
        const string administratorPassword = TenantMocks.FakeSecretPrefix + "database-administrator-password";

        run.Inputs.Single(i => i.Type == Server).Inputs["administratorPassword"].ShouldBe(administratorPassword);
        foreach (var registered in run.KubernetesObjects)
        {
            Flatten(registered.Inputs).ShouldNotContain(administratorPassword, $"{registered.Type} {registered.Name}");
        }
        var stack = run.Resources.OfType<TenantStack>().Single();
        (await stack.AdminPassword.Value()).ShouldNotBe(administratorPassword);
    }

    [Fact]
    public async Task Entra_authentication_is_on_with_the_tenants_own_identity_as_administrator()
    {
        var run = await StackHarness.RunShipped("aarhus");

        var authentication = (IDictionary<string, object>)run.Inputs.Single(i => i.Type == Server).Inputs["authentication"];
        authentication["activeDirectoryAuthEnabled"].ShouldBe(true);
        authentication["passwordAuthEnabled"].ShouldBe(true);
        authentication["tenantId"].ShouldBe(AzureMockState.EntraTenant);
        var administrator = run.Inputs.Single(i => i.Type == AdAdministrator).Inputs;
        administrator["principalName"].ShouldBe("id-os2bpc-aarhus-dbadmin");
        administrator["principalType"].ShouldBe("ServicePrincipal");
        administrator["objectId"].ShouldBe(AzureMockState.PrincipalId("id-os2bpc-aarhus-dbadmin"));
        var credential = run.Inputs.Single(i => i.Type == FederatedCredential && i.Name == "app-role-job").Inputs;
        credential["subject"].ShouldBe("system:serviceaccount:os2borgerpc-aarhus:db-app-role");
        credential["audience"].ShouldBe("api://AzureADTokenExchange");
        ((string)credential["issuer"]).ShouldStartWith("https://westeurope.oic.prod-aks.azure.com/");
    }

    [Fact]
    public async Task The_app_role_job_signs_in_with_a_token_and_the_admin_site_waits_for_it()
    {
        var run = await StackHarness.RunShipped("aarhus");

        var job = await run.Single<Job>(AzureAppRole.Workload).Spec.Value();
        var pod = job.Template.Spec;
        job.Template.Metadata.Labels["azure.workload.identity/use"].ShouldBe("true");
        pod.ServiceAccountName.ShouldBe(DatabaseRoles.AppRoleServiceAccount);
        var account = await run.Single<ServiceAccount>(AzureAppRole.Workload).Metadata.Value();
        account.Annotations["azure.workload.identity/client-id"].ShouldBe(AzureMockState.ClientId("id-os2bpc-aarhus-dbadmin"));
        var env = pod.Containers.Single().Env.ToDictionary(e => e.Name);
        env["PGUSER"].Value.ShouldBe("id-os2bpc-aarhus-dbadmin");
        // It verifies the server against Azure's roots before it sends the administrator's token.
        (env["PGSSLMODE"].Value, env["PGSSLROOTCERT"].Value).ShouldBe(("verify-full", "/etc/os2borgerpc/database-ca/ca.crt"));
        env["APP_DB_USER"].Value.ShouldBe(DatabaseRoles.AzureAppRole);
        env["APP_DB_PASSWORD"].ValueFrom.SecretKeyRef.Key.ShouldBe(TenantSecrets.DatabasePasswordKey);
        env.ShouldNotContainKey("PGPASSWORD");
        pod.Volumes.Single(v => v.Name == "token").EmptyDir.Medium.ShouldBe("Memory");
        run.OptionsOf("kubernetes:batch/v1:Job", AzureAppRole.Workload).DeleteBeforeReplace.ShouldBeTrue();

        var site = run.OptionsOf("kubernetes:apps/v1:Deployment", "admin-site");
        (await site.DependencyNames()).ShouldContain(AzureAppRole.Workload);
        var siteEnv = (await run.Single<Deployment>("admin-site").Spec.Value()).Template.Spec.Containers.Single(c => c.Name == "admin-site").Env;
        siteEnv.Single(e => e.Name == "DB_USER").Value.ShouldBe(DatabaseRoles.AzureAppRole);
    }

    [Fact]
    public async Task Generated_passwords_follow_the_policy_and_existing_ones_are_kept()
    {
        var run = await StackHarness.RunShipped("aarhus");

        foreach (var (name, rule) in new[]
        {
            ("database-password", PasswordPolicy.Database),
            ("database-administrator-password", PasswordPolicy.Database),
            ("admin-password", PasswordPolicy.BootstrapAdmin),
            ("django-secret-key", PasswordPolicy.DjangoSecretKey),
        })
        {
            var inputs = run.InputsOf("random:index/randomPassword:RandomPassword", name).Inputs;
            $"{inputs["length"]} {inputs["minUpper"]} {inputs["minLower"]} {inputs["minNumeric"]} {inputs["overrideSpecial"]}"
                .ShouldBe($"{rule.Length} {rule.MinUpper} {rule.MinLower} {rule.MinNumeric} {rule.Special}", name);
            // A stack made before the policy keeps its password: an in-cluster server takes it once, at initialisation.
            run.OptionsOf("random:index/randomPassword:RandomPassword", name).IgnoreChanges.ShouldBe(TenantSecrets.GeneratorProperties, ignoreOrder: true);
        }
    }

    [Theory]
    [InlineData("demo", "os2borgerpc-demo-operators")]
    [InlineData("aarhus", "os2borgerpc-aarhus-operators")]
    public async Task Every_tenant_gets_an_operator_role_without_secrets_or_pod_logs(string stack, string group)
    {
        var run = await StackHarness.RunShipped(stack);

        var role = await run.Single<Role>("operator").Rules.Value();
        role.SelectMany(r => r.Resources).ShouldNotContain(resource => OperatorAccess.Withheld.Contains(resource));
        role.SelectMany(r => r.Resources).ShouldContain("pods");
        role.SelectMany(r => r.Verbs).Distinct().ShouldBeSubsetOf(CiIdentities.ReadVerbs);
        var subject = (await run.Single<RoleBinding>("operator").Subjects.Value()).ShouldHaveSingleItem();
        (subject.Kind, subject.Name).ShouldBe(("Group", group));
        (await run.Single<RoleBinding>("operator").RoleRef.Value()).Name.ShouldBe(OperatorAccess.RoleName);
    }

    [Theory]
    [InlineData("demo", "hosting=kubernetes")]
    [InlineData("aarhus", "hosting=azure")]
    public async Task The_stack_exports_its_immutable_settings(string stack, string expected)
    {
        var run = await StackHarness.RunShipped(stack);

        var values = await run.Resources.OfType<TenantStack>().Single().ImmutableSettings.Value();
        values.ShouldContain(v => $"{v.Key}={v.Value}" == expected);
        if (stack == "aarhus")
        {
            values["azure.location"].ShouldBe("westeurope");
            values["azure.delegatedSubnetId"].ShouldStartWith("private /subscriptions/");
        }
    }

    /// <summary>What every azure tenant of the fleet must show (the 98-municipality run applies it to each).</summary>
    internal static void ShouldBeRestricted(StackRun run, string slug)
    {
        var rules = (IDictionary<string, object>)run.Inputs.Single(i => i.Type == Account).Inputs["networkRules"];
        rules["defaultAction"].ShouldBe("Deny", slug);
        ((ImmutableArray<object>)rules["virtualNetworkSubnetIds"]).ShouldNotBeEmpty(slug);
        var serverName = run.Inputs.Single(i => i.Type == Server).Name;
        run.Inputs.Where(i => i.Type == Lock).Select(i => (string)i.Inputs["scope"]).ShouldNotContain($"{serverName}-id", slug);
        ((IDictionary<string, object>)run.Inputs.Single(i => i.Type == Server).Inputs["authentication"])["activeDirectoryAuthEnabled"].ShouldBe(true, slug);
        run.Inputs.Single(i => i.Type == Server).Inputs["administratorPassword"].ShouldBe(TenantMocks.FakeSecretPrefix + "database-administrator-password", slug);
        run.Inputs.Single(i => i.Type == "kubernetes:batch/v1:Job" && i.Name == AzureAppRole.Workload).ShouldNotBeNull(slug);
        run.Inputs.Single(i => i.Type == "kubernetes:rbac.authorization.k8s.io/v1:Role").ShouldNotBeNull(slug);
    }

    /// <summary>Every string anywhere in a registration's inputs.</summary>
    private static IEnumerable<string> Flatten(object? value) => value switch
    {
        string text => [text],
        IDictionary<string, object> map => map.Values.SelectMany(Flatten),
        ImmutableArray<object> list => list.SelectMany(Flatten),
        _ => [],
    };
}
