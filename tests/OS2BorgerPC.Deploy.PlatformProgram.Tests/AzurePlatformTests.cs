using System.Text.Json.Nodes;
using OS2BorgerPC.Deploy.PlatformProgram.Tests.Testing;
using OS2BorgerPC.Deploy.PlatformDecisions.Decisions;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using OS2BorgerPC.Deploy.TenantDecisions.Security;
using Pulumi;
using Pulumi.Utilities;

namespace OS2BorgerPC.Deploy.PlatformProgram.Tests;

/// <summary>The shipped azure platform (stacks/platform/Pulumi.prod.yaml) under mocks: every resource and its wiring.</summary>
[Collection(PulumiCollection.Name)]
public sealed class AzurePlatformTests
{
    private static IDictionary<string, object> Map(object value) => (IDictionary<string, object>)value;

    private static IEnumerable<object> List(object value) => (IEnumerable<object>)value;

    [Fact]
    public async Task The_network_has_the_planned_ranges_a_delegated_postgres_subnet_a_linked_private_zone_and_nat_egress()
    {
        var run = await PlatformHarness.RunShipped("prod");

        var vnet = run.Single("azure:network/virtualNetwork:VirtualNetwork", "vnet").Inputs;
        List(vnet["addressSpaces"]).ShouldBe(["10.240.0.0/16"]);
        List(run.Single("azure:network/subnet:Subnet", "cluster-subnet").Inputs["addressPrefixes"]).ShouldBe(["10.240.0.0/20"]);
        // Azure tenants' storage accounts admit the cluster subnet by network rule: it needs the storage endpoint.
        List(run.Single("azure:network/subnet:Subnet", "cluster-subnet").Inputs["serviceEndpoints"]).ShouldBe(["Microsoft.Storage"]);
        var postgres = run.Single("azure:network/subnet:Subnet", "postgres-subnet").Inputs;
        List(postgres["addressPrefixes"]).ShouldBe(["10.240.16.0/24"]);
        Map(Map(List(postgres["delegations"]).Single())["serviceDelegation"])["name"].ShouldBe("Microsoft.DBforPostgreSQL/flexibleServers");
        run.Single("azure:privatedns/zone:Zone", "postgres-dns").Inputs["name"].ShouldBe("privatelink.postgres.database.azure.com");
        var link = run.Single("azure:privatedns/zoneVirtualNetworkLink:ZoneVirtualNetworkLink", "postgres-dns-link").Inputs;
        ((string)link["virtualNetworkId"]).ShouldEndWith("/vnet-os2borgerpc-prod");
        var egressIps = run.OfType("azure:network/publicIp:PublicIp").Where(ip => ip.Name.StartsWith("egress-", StringComparison.Ordinal)).ToList();
        egressIps.Count.ShouldBe(2, "egressIps: 2");
        egressIps.ShouldAllBe(ip => (string)ip.Inputs["allocationMethod"] == "Static");
        run.OfType("azure:network/natGatewayPublicIpAssociation:NatGatewayPublicIpAssociation").Count().ShouldBe(2);
        var egress = run.Single("azure:network/subnetNatGatewayAssociation:SubnetNatGatewayAssociation", "cluster-egress").Inputs;
        ((string)egress["subnetId"]).ShouldEndWith("/snet-aks");
        ((string)egress["natGatewayId"]).ShouldEndWith("/ng-os2borgerpc-prod");
        // A Standard NAT gateway is zonal (azurerm v4.80.0 nat_gateway_resource.go): pinned, with its addresses, to one known zone.
        List(run.Single("azure:network/natGateway:NatGateway", "nat").Inputs["zones"]).ShouldBe(["1"]);
        egressIps.ShouldAllBe(ip => List(ip.Inputs["zones"]).SequenceEqual(new object[] { "1" }));
    }

    /// <summary>
    /// AKS "Use a static public IP address and DNS label with the AKS load balancer" (learn.microsoft.com/azure/aks/static-ip):
    /// an address outside the node resource group is named by the Service annotations azure-load-balancer-resource-group and
    /// azure-pip-name. kubernetes-sigs/cloud-provider-azure v1.35.8 (AKS 1.35's line) pkg/provider/azure_publicip_repo.go:
    /// the named address is found by listing the group's public IPs (pipCache getter PublicIPAddressClient.List), so the
    /// cluster identity needs publicIPAddresses/read on the group, and Network Contributor on the address to join it to
    /// its load balancer; azure_loadbalancer.go ensurePublicIPExists writes no tag on an address without the
    /// k8s-azure-service tag (serviceOwnsPublicIP: the user's), so the kit ignores no tag change.
    /// EnvoyProxy envoyService.annotations are appended to the Service (envoyproxy/gateway v1.9.0
    /// api/v1alpha1/shared_types.go KubernetesServiceSpec.Annotations).
    /// </summary>
    [Fact]
    public async Task The_gateway_keeps_a_static_zone_redundant_locked_address_in_the_platform_group_its_service_and_the_fleet_zone_use()
    {
        var run = await PlatformHarness.RunShippedFleet("prod");

        var ip = run.Single("azure:network/publicIp:PublicIp", "gateway");
        (ip.Inputs["allocationMethod"], ip.Inputs["sku"], ip.Inputs["resourceGroupName"]).ShouldBe(("Static", "Standard", "rg-os2borgerpc-platform-prod"));
        List(ip.Inputs["zones"]).ShouldBe(["1", "2", "3"], "inbound traffic survives a zone");
        run.OptionsOf("azure:network/publicIp:PublicIp", "gateway").IgnoreChanges.ShouldBeEmpty("the cloud provider tags no address of the user's");
        var ipId = $"/subscriptions/{PlatformMocks.Subscription}/resourceGroups/rg-os2borgerpc-platform-prod/providers/Microsoft.Network/publicIPAddresses/pip-os2borgerpc-prod-gateway";
        run.Single("azure:management/lock:Lock", "gateway-ip-lock").Inputs["scope"].ShouldBe(ipId);
        var access = run.Single("azure:authorization/assignment:Assignment", "cluster-gateway-ip").Inputs;
        (access["scope"], access["roleDefinitionName"]).ShouldBe((ipId, "Network Contributor"), "on the address only, not the group holding the network and the DNS zone");
        access["principalId"].ShouldBe(run.Single("azure:authorization/assignment:Assignment", "control-plane-network").Inputs["principalId"], "the cluster's own identity");
        var groupId = $"/subscriptions/{PlatformMocks.Subscription}/resourceGroups/rg-os2borgerpc-platform-prod";
        var lookup = run.Single("azure:authorization/assignment:Assignment", "cluster-gateway-ip-lookup").Inputs;
        lookup["scope"].ShouldBe(groupId, "the cloud provider lists the group's public IPs to find the named one");
        lookup["principalId"].ShouldBe(access["principalId"]);
        lookup.ShouldNotContainKey("roleDefinitionName");
        var lister = run.Single("azure:authorization/roleDefinition:RoleDefinition", "public-ip-reader").Inputs;
        List(Map(List(lister["permissions"]).Single())["actions"]).ShouldBe(["Microsoft.Network/publicIPAddresses/read"], "reads, never writes, in the group");
        List(lister["assignableScopes"]).ShouldBe([groupId]);
        lookup["roleDefinitionId"].ShouldBe($"/subscriptions/{PlatformMocks.Subscription}/providers/Microsoft.Authorization/roleDefinitions/{lister["roleDefinitionId"]}");
        var record = run.Single("azure:dns/aRecord:ARecord", "tenants").Inputs;
        (record["name"], record["zoneName"], record["targetResourceId"]).ShouldBe(("*", "borgerpc.dk", ipId), "an alias of the address: every tenant host in the base domain, no step by hand");
        record.ShouldNotContainKey("records");

        var service = Map(Map(Map(Map(run.Single("kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy", "proxy").Inputs["spec"])["provider"])["kubernetes"])["envoyService"]);
        Map(service["annotations"]).ShouldBe(new Dictionary<string, object>
        {
            ["service.beta.kubernetes.io/azure-load-balancer-resource-group"] = "rg-os2borgerpc-platform-prod",
            ["service.beta.kubernetes.io/azure-pip-name"] = "pip-os2borgerpc-prod-gateway",
        }, ignoreOrder: true);
        var proxyAfter = await run.OptionsOf("kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy", "proxy").DependencyNames();
        proxyAfter.ShouldContain("azure:authorization/assignment:Assignment cluster-gateway-ip", "the Service is made once the cluster may use the address");
        proxyAfter.ShouldContain("azure:authorization/assignment:Assignment cluster-gateway-ip-lookup", "and find it");
        var gatewayIp = (await OutputUtilities.GetValueAsync(run.Stack.GatewayIp)).ShouldNotBeNull();
        (await OutputUtilities.GetValueAsync(run.Stack.EgressIps)).ShouldNotContain(gatewayIp, "the Gateway's own address, not an egress one");
    }

    /// <summary>
    /// kubernetes-sigs/cloud-provider-azure v1.35.8 pkg/consts/consts.go (ServiceTagKey "k8s-azure-service",
    /// LegacyServiceTagKey "service") and pkg/provider/azure_loadbalancer.go serviceOwnsPublicIP: an address carrying
    /// either tag is the cloud provider's own, which it then re-tags with its Services and cluster (a diff on every
    /// <c>up</c>) and may release with its Service. No platform resource carries them, whatever tags are added later.
    /// </summary>
    [Fact]
    public async Task No_platform_resource_carries_a_tag_that_makes_the_cloud_provider_claim_an_address()
    {
        var run = await PlatformHarness.RunShipped("prod");

        var tagged = run.Inputs.Where(i => i.Type.StartsWith("azure:", StringComparison.Ordinal) && i.Inputs.ContainsKey("tags")).ToList();
        tagged.ShouldContain(i => i.Type == "azure:network/publicIp:PublicIp" && i.Name == "gateway");
        foreach (var resource in tagged)
        {
            // Azure tag names are case-insensitive.
            Map(resource.Inputs["tags"]).Keys.ShouldNotContain(key => key.Equals("k8s-azure-service", StringComparison.OrdinalIgnoreCase)
                || key.Equals("service", StringComparison.OrdinalIgnoreCase), $"{resource.Type} {resource.Name}");
        }
    }

    [Fact]
    public async Task The_cluster_waits_for_the_nat_gateways_subnet_and_address_associations_so_its_first_nodes_have_a_way_out()
    {
        // Azure/terraform-azurerm-avm-res-containerservice-managedcluster PR #292: AKS with userAssignedNATGateway must wait for both associations.
        var run = await PlatformHarness.RunShipped("prod");

        var dependencies = await run.OptionsOf("azure:containerservice/kubernetesCluster:KubernetesCluster", "cluster").DependencyNames();

        dependencies.ShouldBe([
            "azure:authorization/assignment:Assignment control-plane-network",
            "azure:network/natGatewayPublicIpAssociation:NatGatewayPublicIpAssociation egress-1",
            "azure:network/natGatewayPublicIpAssociation:NatGatewayPublicIpAssociation egress-2",
            "azure:network/subnetNatGatewayAssociation:SubnetNatGatewayAssociation cluster-egress",
        ], ignoreOrder: true);
    }

    [Fact]
    public async Task The_cluster_is_cni_overlay_with_cilium_workload_identity_and_separate_system_and_tenant_pools()
    {
        var run = await PlatformHarness.RunShipped("prod");

        var cluster = run.Single("azure:containerservice/kubernetesCluster:KubernetesCluster", "cluster").Inputs;
        cluster["kubernetesVersion"].ShouldBe("1.35");
        cluster["automaticUpgradeChannel"].ShouldBe("patch");
        cluster["nodeOsUpgradeChannel"].ShouldBe("NodeImage");
        cluster["oidcIssuerEnabled"].ShouldBe(true);
        cluster["workloadIdentityEnabled"].ShouldBe(true);
        var network = Map(cluster["networkProfile"]);
        (network["networkPlugin"], network["networkPluginMode"], network["networkDataPlane"], network["networkPolicy"])
            .ShouldBe(("azure", "overlay", "cilium", "cilium"));
        (network["podCidr"], network["serviceCidr"], network["dnsServiceIp"]).ShouldBe(("192.168.0.0/16", "10.0.0.0/16", "10.0.0.10"));
        network["outboundType"].ShouldBe("userAssignedNATGateway");
        var system = Map(cluster["defaultNodePool"]);
        system["onlyCriticalAddonsEnabled"].ShouldBe(true);
        system["vmSize"].ShouldBe("Standard_D4ds_v5");
        ((string)system["vnetSubnetId"]).ShouldEndWith("/snet-aks");
        List(system["zones"]).ShouldBe(["1", "2", "3"]);
        ((string)Map(cluster["omsAgent"])["logAnalyticsWorkspaceId"]).ShouldEndWith("/log-os2borgerpc-prod");
        var tenants = run.Single("azure:containerservice/kubernetesClusterNodePool:KubernetesClusterNodePool", "tenants").Inputs;
        (tenants["mode"], Convert.ToInt32(tenants["minCount"]), Convert.ToInt32(tenants["maxCount"]), tenants["autoScalingEnabled"]).ShouldBe(("User", 3, 12, true));
        // The control plane may join the subnet before the cluster exists.
        var subnetRole = run.Single("azure:authorization/assignment:Assignment", "control-plane-network").Inputs;
        subnetRole["roleDefinitionName"].ShouldBe("Network Contributor");
        ((string)subnetRole["scope"]).ShouldEndWith("/snet-aks");
    }

    [Fact]
    public async Task Upgrades_run_in_weekly_night_windows_and_container_insights_has_its_rule_and_association()
    {
        var run = await PlatformHarness.RunShipped("prod");

        var cluster = run.Single("azure:containerservice/kubernetesCluster:KubernetesCluster", "cluster").Inputs;
        // azurerm v4.80.0 kubernetes_cluster_resource.go: maintenance_window_auto_upgrade / maintenance_window_node_os, duration 4-24.
        var upgrade = Map(cluster["maintenanceWindowAutoUpgrade"]);
        (upgrade["frequency"], Convert.ToInt32(upgrade["interval"]), upgrade["dayOfWeek"], upgrade["startTime"], Convert.ToInt32(upgrade["duration"]), upgrade["utcOffset"])
            .ShouldBe(("Weekly", 1, "Sunday", "01:00", 4, "+01:00"));
        var nodeOs = Map(cluster["maintenanceWindowNodeOs"]);
        (nodeOs["dayOfWeek"], nodeOs["startTime"], Convert.ToInt32(nodeOs["duration"])).ShouldBe(("Saturday", "01:00", 4));

        // microsoft/Docker-Provider onboarding-msi-terraform/main.tf: with MSI auth the agent collects what an associated DCR names.
        var rule = run.Single("azure:monitoring/dataCollectionRule:DataCollectionRule", "container-insights").Inputs;
        var workspace = Map(List(Map(rule["destinations"])["logAnalytics"]).Single());
        ((string)workspace["workspaceResourceId"]).ShouldEndWith("/providers/Microsoft.OperationalInsights/workspaces/log-os2borgerpc-prod");
        var flow = Map(List(rule["dataFlows"]).Single());
        (List(flow["streams"]).Single(), List(flow["destinations"]).Single()).ShouldBe(("Microsoft-ContainerInsights-Group-Default", workspace["name"]));
        var extension = Map(List(Map(rule["dataSources"])["extensions"]).Single());
        (extension["extensionName"], List(extension["streams"]).Single()).ShouldBe(("ContainerInsights", "Microsoft-ContainerInsights-Group-Default"));
        var association = run.Single("azure:monitoring/dataCollectionRuleAssociation:DataCollectionRuleAssociation", "container-insights").Inputs;
        association["name"].ShouldBe("ContainerInsightsExtension");
        ((string)association["targetResourceId"]).ShouldEndWith("/providers/Microsoft.ContainerService/managedClusters/aks-os2borgerpc-prod");
        ((string)association["dataCollectionRuleId"]).ShouldEndWith("/providers/Microsoft.Insights/dataCollectionRules/" + rule["name"]);
    }

    [Fact]
    public async Task What_every_tenant_depends_on_is_protected_versioned_and_locked()
    {
        var run = await PlatformHarness.RunShippedFleet("prod");

        foreach (var (type, name) in new[]
        {
            ("azure:storage/account:Account", "state"), ("azure:storage/container:Container", "state"),
            ("azure:keyvault/keyVault:KeyVault", "secrets"), ("azure:keyvault/key:Key", "secrets"),
            ("azure:dns/zone:Zone", "fleet"), ("azure:containerservice/kubernetesCluster:KubernetesCluster", "cluster"),
            ("azure:storage/account:Account", "backup"),
            ("azure:core/resourceGroup:ResourceGroup", "backup"), ("azure:network/virtualNetwork:VirtualNetwork", "vnet"),
            ("azure:network/publicIp:PublicIp", "gateway"),
        })
        {
            var options = run.OptionsOf(type, name);
            (options.Protect, options.RetainOnDelete).ShouldBe((true, true), $"{type} {name}");
        }
        var state = run.Single("azure:storage/account:Account", "state").Inputs;
        state["allowNestedItemsToBePublic"].ShouldBe(false);
        state["sharedAccessKeyEnabled"].ShouldBe(false);
        var blobs = Map(state["blobProperties"]);
        blobs["versioningEnabled"].ShouldBe(true);
        Convert.ToInt32(Map(blobs["deleteRetentionPolicy"])["days"]).ShouldBe(30);
        run.Single("azure:storage/container:Container", "state").Inputs["containerAccessType"].ShouldBe("private");
        var vault = run.Single("azure:keyvault/keyVault:KeyVault", "secrets").Inputs;
        (vault["purgeProtectionEnabled"], vault["rbacAuthorizationEnabled"], vault["tenantId"]).ShouldBe((true, true, PlatformMocks.TenantId));
        List(run.Single("azure:keyvault/key:Key", "secrets").Inputs["keyOpts"]).ShouldContain("unwrapKey");
        run.OfType("azure:management/lock:Lock").Select(l => l.Name).Order().ShouldBe(["account-lock", "foundation-lock", "gateway-ip-lock", "group-lock", "secrets-lock", "state-lock"]);
        run.OfType("azure:management/lock:Lock").ShouldAllBe(l => (string)l.Inputs["lockLevel"] == "CanNotDelete");
        var stack = run.Foundation;
        (await OutputUtilities.GetValueAsync(stack.StateBackendUrl)).ShouldBe("azblob://pulumi-state?storage_account=" + run.Single("azure:storage/account:Account", "state").Inputs["name"]);
        (await OutputUtilities.GetValueAsync(stack.SecretsProvider))!.ShouldStartWith("azurekeyvault://kv-prod-");
    }

    [Fact]
    public async Task The_backup_target_lives_in_its_own_group_and_keeps_what_is_deleted_or_overwritten_for_the_retention_days()
    {
        var run = await PlatformHarness.RunShippedFleet("prod");

        var group = run.Single("azure:core/resourceGroup:ResourceGroup", "backup").Inputs["name"];
        group.ShouldBe("rg-os2borgerpc-backup-prod");
        group.ShouldNotBe(run.Single("azure:core/resourceGroup:ResourceGroup", "platform").Inputs["name"]);
        var account = run.Single("azure:storage/account:Account", "backup").Inputs;
        account["resourceGroupName"].ShouldBe(group);
        account["accountReplicationType"].ShouldBe("GZRS");
        var blobs = Map(account["blobProperties"]);
        blobs["versioningEnabled"].ShouldBe(true);
        Convert.ToInt32(Map(blobs["deleteRetentionPolicy"])["days"]).ShouldBe(35);
        Convert.ToInt32(Map(blobs["containerDeleteRetentionPolicy"])["days"]).ShouldBe(35);
        account["sharedAccessKeyEnabled"].ShouldBe(false);
        // Previous versions expire at the retention days (then soft-deleted as long), not never and not sooner.
        var rule = Map(List(run.Single("azure:storage/managementPolicy:ManagementPolicy", "backup-versions").Inputs["rules"]).Single());
        Convert.ToInt32(Map(Map(rule["actions"])["version"])["deleteAfterDaysSinceCreation"]).ShouldBe(35);
        Map(rule["actions"]).Keys.ShouldBe(["version"]);
        // No WORM policy: it refuses the deletes restic and CloudNativePG's retention make, so every backup would fail.
        run.OfType("azure:storage/containerImmutabilityPolicy:ContainerImmutabilityPolicy").ShouldBeEmpty();
    }

    [Fact]
    public async Task Ci_identities_trust_only_their_github_environment_and_grant_roles_only_under_their_conditions()
    {
        var run = await PlatformHarness.RunShippedFleet("prod");

        var credentials = run.OfType("azure:armmsi/federatedIdentityCredential:FederatedIdentityCredential").ToList();
        credentials.Where(c => c.Name.StartsWith("ci-")).Select(c => c.Inputs["subject"]).Order().ShouldBe([
            "repo:os2borgerpc/os2borgerpc-deploy:environment:platform",
            "repo:os2borgerpc/os2borgerpc-deploy:environment:preview",
            "repo:os2borgerpc/os2borgerpc-deploy:environment:production",
        ]);
        credentials.Where(c => c.Name.StartsWith("ci-")).ShouldAllBe(c => (string)c.Inputs["issuer"] == TenantDecisions.Security.CiIdentities.GitHubIssuer);
        var assignments = run.OfType("azure:authorization/assignment:Assignment").ToList();
        assignments.ShouldNotBeEmpty();
        var backupAccount = (string)run.Single("azure:storage/account:Account", "backup").Inputs["name"];
        foreach (var assignment in assignments)
        {
            var role = assignment.Inputs.GetValueOrDefault("roleDefinitionName") as string;
            if (TenantDecisions.Security.CiIdentities.AccessGrantingRoles.Contains(role ?? "") && assignment.Name.StartsWith("ci-platform-", StringComparison.Ordinal))
            {
                // The platform identity assigns only the roles the platform program assigns, with this platform's custom role GUIDs.
                assignment.Inputs["condition"].ShouldBe(TenantDecisions.Security.CiIdentities.RenderCondition(
                    TenantDecisions.Security.CiIdentities.PlatformAssignmentCondition, PlatformDecisions.Naming.PlatformNames.For("os2borgerpc", "prod").CustomRoleGuid));
                assignment.Inputs["conditionVersion"].ShouldBe("2.0");
            }
            else if (TenantDecisions.Security.CiIdentities.AccessGrantingRoles.Contains(role ?? ""))
            {
                // The one exception: assigning the tenants' two blob roles, under an ABAC condition, in the backup account only.
                assignment.Name.ShouldBe("ci-production-role-based-access-control-administrator");
                assignment.Inputs["condition"].ShouldBe(TenantDecisions.Security.CiIdentities.TenantAssignmentCondition);
                assignment.Inputs["conditionVersion"].ShouldBe("2.0");
                ((string)assignment.Inputs["scope"]).ShouldEndWith($"/providers/Microsoft.Storage/storageAccounts/{backupAccount}");
            }
        }
        var lockRole = run.Single("azure:authorization/roleDefinition:RoleDefinition", "lock-operator").Inputs;
        List(Map(List(lockRole["permissions"]).Single())["actions"]).ShouldAllBe(a => ((string)a).StartsWith("Microsoft.Authorization/locks/"));
        assignments.Single(a => a.Name == "ci-production-os2borgerpc-lock-operator-rg-aarhus").Inputs["roleDefinitionId"].ShouldBe(
            $"/subscriptions/{PlatformMocks.Subscription}/providers/Microsoft.Authorization/roleDefinitions/{lockRole["roleDefinitionId"]}");
    }

    /// <summary>Each CI role assignment of a run: whose, which role (a custom one by its decided name), where.</summary>
    internal static List<(string Identity, string Role, string Scope)> CiGrants(PlatformRun run)
    {
        var custom = run.OfType("azure:authorization/roleDefinition:RoleDefinition").ToDictionary(
            d => $"/subscriptions/{PlatformMocks.Subscription}/providers/Microsoft.Authorization/roleDefinitions/{d.Inputs["roleDefinitionId"]}",
            d => ((string)d.Inputs["name"])[..((string)d.Inputs["name"]).LastIndexOf(" (", StringComparison.Ordinal)]);
        return [.. run.OfType("azure:authorization/assignment:Assignment").Where(a => a.Name.StartsWith("ci-", StringComparison.Ordinal)).Select(a => (
            CiIdentities.All.Single(i => a.Name.StartsWith($"ci-{i.Environment}-", StringComparison.Ordinal)).Environment,
            a.Inputs.TryGetValue("roleDefinitionName", out var name) ? (string)name : custom[(string)a.Inputs["roleDefinitionId"]],
            (string)a.Inputs["scope"]))];
    }

    /// <summary>
    /// drift.yml refreshes every platform and tenant stack as the preview identity with --expect-no-changes, and azurerm's storage
    /// account read lists the keys and empties keys and connection strings when refused (v4.80.0
    /// internal/services/storage/storage_account_resource.go, resourceStorageAccountRead, ListKeys): without listKeys on an
    /// account, its refresh is a false drift every night. listKeys is an action on the account: a grant on its container is no use.
    /// </summary>
    [Fact]
    public async Task The_preview_identity_may_list_the_keys_of_every_storage_account_a_platform_or_tenant_drift_check_refreshes()
    {
        var run = await PlatformHarness.RunShippedFleet("prod");
        var listed = CiGrants(run).Where(g => g.Identity == CiIdentities.PreviewEnvironment && g.Role == CiIdentities.StorageKeyLister.Name)
            .Select(g => g.Scope).ToList();

        // The platform's own accounts (state, backup), each by its ARM ID.
        var accounts = run.Resources.OfType<Pulumi.Azure.Storage.Account>().ToList();
        accounts.Count.ShouldBe(2);
        foreach (var account in accounts)
        {
            listed.ShouldContain(await Pulumi.Utilities.OutputUtilities.GetValueAsync(account.Id));
        }
        // The tenants' accounts: in the groups the platform makes for them (AzureTenantTests: a tenant stack makes no group).
        var tenantGroups = run.Resources.OfType<Pulumi.Azure.Core.ResourceGroup>().Where(g => g.GetResourceName().StartsWith("tenant-", StringComparison.Ordinal)).ToList();
        tenantGroups.ShouldNotBeEmpty();
        foreach (var group in tenantGroups)
        {
            listed.ShouldContain(await Pulumi.Utilities.OutputUtilities.GetValueAsync(group.Id));
        }
        listed.ShouldNotContain($"/subscriptions/{PlatformMocks.Subscription}");
    }

    private const string Cluster = "/providers/Microsoft.ContainerService/managedClusters/aks-os2borgerpc-prod";

    [Fact]
    public async Task Every_ci_identity_holds_its_cluster_roles_and_the_namespace_scoped_ones_in_each_tenant_namespace_of_this_platform()
    {
        var run = await PlatformHarness.RunShippedFleet("prod");
        var grants = CiGrants(run);

        // The shipped tenants on prod (aarhus, faelles-it: the fleet default platformStack); demo names the demo platform.
        List<string> namespaces = ["os2borgerpc-aarhus", "os2borgerpc-faelles-it"];
        foreach (var identity in CiIdentities.All)
        {
            foreach (var grant in identity.AzureRoles.Where(g => g.Scope is RoleScope.Cluster or RoleScope.TenantNamespaces))
            {
                var scopes = grants.Where(g => g.Identity == identity.Environment && g.Role == grant.Role).Select(g => g.Scope).ToList();
                if (grant.Scope == RoleScope.Cluster)
                {
                    scopes.ShouldHaveSingleItem().ShouldEndWith(Cluster, customMessage: $"{identity.Environment} {grant.Role}");
                }
                else
                {
                    scopes.Select(s => s[(s.IndexOf(Cluster + "/namespaces/", StringComparison.Ordinal) + Cluster.Length + "/namespaces/".Length)..]).Order().ToList()
                        .ShouldBe(namespaces, customMessage: $"{identity.Environment} {grant.Role}");
                }
            }
        }
        // Every custom role a grant names is defined, with the decided permissions.
        var reader = Map(List(run.Single("azure:authorization/roleDefinition:RoleDefinition", "cluster-reader").Inputs["permissions"]).Single());
        (List(reader["dataActions"]).Single(), List(reader["notDataActions"]).Single()).ShouldBe(
            ("Microsoft.ContainerService/managedClusters/*/read", "Microsoft.ContainerService/managedClusters/secrets/read"));
        run.OfType("azure:authorization/roleDefinition:RoleDefinition").Count(d => d.Name != "public-ip-reader").ShouldBe(CiIdentities.CustomRoles.Count);
    }

    [Fact]
    public async Task The_preview_identity_holds_no_role_that_writes_and_the_deploy_identity_writes_cluster_wide_only_namespaces()
    {
        var run = await PlatformHarness.RunShippedFleet("prod");
        var grants = CiGrants(run);

        var preview = grants.Where(g => g.Identity == CiIdentities.PreviewEnvironment).ToList();
        preview.Select(g => g.Role).Distinct().Order().ShouldBe([
            CiIdentities.ClusterUserRole, CiIdentities.ClusterReader.Name, CiIdentities.KeyRotationPolicyReader.Name, CiIdentities.StateKeyUser.Name,
            CiIdentities.StorageKeyLister.Name, CiIdentities.TenantSecretReader.Name, "Reader", "Storage Blob Data Reader",
        ]);
        preview.ShouldAllBe(g => !CiIdentities.Writes(g.Role));
        // Secrets are read in tenant namespaces only, never cluster-wide (kube-system, the platform's add-ons).
        preview.Where(g => g.Role == CiIdentities.TenantSecretReader.Name).ShouldAllBe(g => g.Scope.Contains(Cluster + "/namespaces/os2borgerpc-"));
        var clusterWideWrites = grants.Where(g => g.Identity == CiIdentities.ProductionEnvironment && g.Scope.EndsWith(Cluster) && CiIdentities.Writes(g.Role))
            .Select(g => g.Role).ToList();
        clusterWideWrites.ShouldBe([CiIdentities.TenantNamespaceWriter.Name]);
        var writer = Map(List(run.Single("azure:authorization/roleDefinition:RoleDefinition", "tenant-namespace-writer").Inputs["permissions"]).Single());
        List(writer["dataActions"]).ShouldAllBe(a => ((string)a).StartsWith("Microsoft.ContainerService/managedClusters/namespaces/", StringComparison.Ordinal));
        grants.Where(g => g.Role == CiIdentities.TenantDeployer.Name).ShouldAllBe(g => g.Identity == CiIdentities.ProductionEnvironment && g.Scope.Contains(Cluster + "/namespaces/"));
    }

    /// <summary>
    /// Issue 25 under mocks, across both programs (an operator's foundation, CI's platform): every CI grant whose scope is or
    /// contains (an ARM ID prefix: the subscription contains everything) the state account, container or vault, the backup account,
    /// the foundation's or the backup's group is one of <see cref="CiIdentities.StateAndBackupWrites"/>' roles or writes nothing;
    /// the platform identity's other writes lie in the platform's group; the preview identity writes nothing.
    /// </summary>
    [Fact]
    public async Task No_ci_identity_holds_a_writing_role_on_the_state_or_backup_account_but_the_state_blobs_and_the_conditioned_assignments()
    {
        var foundation = await FoundationHarness.RunShipped("prod");
        var fleet = foundation.Plus(await PlatformHarness.RunShipped("prod"));
        async Task<string> Id<T>(string name) where T : Pulumi.CustomResource =>
            await OutputUtilities.GetValueAsync(foundation.Resources.OfType<T>().Single(r => r.GetResourceName() == name).Id);
        var guarded = new[]
        {
            await Id<Pulumi.Azure.Storage.Account>("state"), await Id<Pulumi.Azure.Storage.Container>("state"),
            await Id<Pulumi.Azure.KeyVault.KeyVault>("secrets"), await Id<Pulumi.Azure.Storage.Account>("backup"),
            await Id<Pulumi.Azure.Core.ResourceGroup>("foundation"), await Id<Pulumi.Azure.Core.ResourceGroup>("backup"),
        };
        var listed = CiIdentities.StateAndBackupWrites.Select(w => w.Role).ToHashSet();

        var grants = AzurePlatformTests.CiGrants(fleet);
        grants.Count.ShouldBeGreaterThan(20);
        grants.Where(g => CiIdentities.Writes(g.Role) && guarded.Any(id => FoundationTests.Contains(g.Scope, id)) && !listed.Contains(g.Role))
            .Select(g => $"{g.Identity}: {g.Role} on {g.Scope}").ShouldBeEmpty();
        // The platform identity's writes all lie in the platform's group (the cluster and the network are in it).
        var platformGroup = AzureMockState.GroupId("rg-os2borgerpc-platform-prod");
        grants.Where(g => g.Identity == CiIdentities.PlatformEnvironment && CiIdentities.Writes(g.Role) && !listed.Contains(g.Role))
            .Where(g => !FoundationTests.Contains(platformGroup, g.Scope)).Select(g => $"{g.Role} on {g.Scope}").ShouldBeEmpty();
        grants.Where(g => g.Identity == CiIdentities.PlatformEnvironment && g.Scope == $"/subscriptions/{PlatformMocks.Subscription}").Select(g => g.Role).ShouldBe(["Reader"]);
        grants.Where(g => g.Identity == CiIdentities.PreviewEnvironment).ShouldAllBe(g => !CiIdentities.Writes(g.Role));
        // The check has teeth: a Contributor on the subscription would be caught.
        guarded.Any(id => FoundationTests.Contains($"/subscriptions/{PlatformMocks.Subscription}", id)).ShouldBeTrue();
    }

    private static async Task<string> IdOf<T>(PlatformRun run, string name) where T : CustomResource =>
        await OutputUtilities.GetValueAsync(run.Resources.OfType<T>().Single(r => r.GetResourceName() == name).Id);

    /// <summary>
    /// What a compromised tenant deploy cannot do, under mocks that return Azure's ARM IDs: no writing role of the identity that
    /// runs the tenants' up lies on a scope that contains (is, or is above) the state account, the backup account, the secrets
    /// vault or their resource groups, but the listed state blobs and backup containers; it holds nothing on the subscription
    /// but Reader, and nothing at all on the platform's or the backup's group. Locks live on those scopes, so it cannot lift them.
    /// </summary>
    [Fact]
    public async Task The_tenant_deploying_identity_holds_no_writing_role_on_a_scope_that_contains_the_state_or_backup_accounts()
    {
        var run = await PlatformHarness.RunShippedFleet("prod");
        var guarded = new[]
        {
            await IdOf<Pulumi.Azure.Storage.Account>(run, "state"), await IdOf<Pulumi.Azure.Storage.Account>(run, "backup"),
            await IdOf<Pulumi.Azure.KeyVault.KeyVault>(run, "secrets"),
            await IdOf<Pulumi.Azure.Core.ResourceGroup>(run, "platform"), await IdOf<Pulumi.Azure.Core.ResourceGroup>(run, "backup"),
        };
        static bool Contains(string scope, string id) => id.Equals(scope, StringComparison.OrdinalIgnoreCase) || id.StartsWith(scope + "/", StringComparison.OrdinalIgnoreCase);
        var production = CiGrants(run).Where(g => g.Identity == CiIdentities.ProductionEnvironment).ToList();
        var listed = CiIdentities.StateAndBackupWrites.Select(w => w.Role).ToHashSet();

        production.Where(g => CiIdentities.Writes(g.Role) && !listed.Contains(g.Role) && guarded.Any(id => Contains(g.Scope, id))).ShouldBeEmpty();
        production.Where(g => g.Scope == $"/subscriptions/{PlatformMocks.Subscription}").Select(g => g.Role).ShouldBe(["Reader"]);
        production.Where(g => guarded[3..].Any(group => g.Scope.Equals(group, StringComparison.OrdinalIgnoreCase))).ShouldBeEmpty();
        // Its listed writes there: the state container's blobs, and the backup account's containers and conditioned assignments.
        production.Where(g => listed.Contains(g.Role) && guarded.Any(id => Contains(g.Scope, id))).Select(g => (g.Role, g.Scope)).Order()
            .ShouldBe([(CiIdentities.BackupContainerCreator.Name, guarded[1]), (CiIdentities.DelegatedAssignmentRole, guarded[1])]);
    }

    /// <summary>
    /// The first up of a new tenant: its stack file lands, the foundation's up (an operator) makes its group (protected, retained) and gives the
    /// tenants' deploying identity Contributor and the lock role there, then the tenant's up fills it.
    /// </summary>
    [Fact]
    public async Task The_foundation_makes_each_tenants_resource_group_and_the_tenant_deploying_identity_writes_there()
    {
        var run = await PlatformHarness.RunShippedFleet("prod");

        var groups = run.OfType("azure:core/resourceGroup:ResourceGroup").Where(g => g.Name.StartsWith("tenant-", StringComparison.Ordinal))
            .Select(g => ((string)g.Inputs["name"], (string)g.Inputs["location"])).Order().ToList();
        groups.ShouldBe([("rg-os2borgerpc-aarhus", "westeurope"), ("rg-os2borgerpc-faelles-it", "westeurope")]);
        foreach (var name in new[] { "tenant-aarhus", "tenant-faelles-it" })
        {
            var options = run.OptionsOf("azure:core/resourceGroup:ResourceGroup", name);
            (options.Protect, options.RetainOnDelete).ShouldBe((true, true), name);
            // The tenant program tagged its own group with the tenant's labels (AzureData.Tags): the same tags, so an imported group shows no diff.
            var slug = name["tenant-".Length..];
            Map(run.Single("azure:core/resourceGroup:ResourceGroup", name).Inputs["tags"]).ToDictionary(t => t.Key, t => (string)t.Value)
                .ShouldBe(RepositoryRoot.Tenant(slug).Names.Labels.ToDictionary(), ignoreOrder: true, customMessage: name);
        }
        var production = CiGrants(run).Where(g => g.Identity == CiIdentities.ProductionEnvironment).ToList();
        List<string> groupIds = [AzureMockState.GroupId("rg-os2borgerpc-aarhus"), AzureMockState.GroupId("rg-os2borgerpc-faelles-it")];
        foreach (var role in new[] { "Contributor", CiIdentities.LockOperator.Name })
        {
            production.Where(g => g.Role == role).Select(g => g.Scope).Order().ToList().ShouldBe(groupIds, customMessage: role);
        }
        // Joining the platform's network: on its two subnets and its PostgreSQL zone, nothing wider.
        production.Where(g => g.Role == CiIdentities.NetworkJoiner.Name).Select(g => g.Scope.Split("/providers/")[^1]).Order().ShouldBe([
            "Microsoft.Network/privateDnsZones/privatelink.postgres.database.azure.com",
            "Microsoft.Network/virtualNetworks/vnet-os2borgerpc-prod/subnets/snet-aks",
            "Microsoft.Network/virtualNetworks/vnet-os2borgerpc-prod/subnets/snet-postgres",
        ]);
    }

    /// <summary>
    /// Artifact cache runs on Basic, Standard and Premium (Microsoft Learn container-registry/artifact-cache-overview); a cache
    /// rule names its registry by ARM ID and takes source and target repository paths, Docker Hub's as docker.io/library/…
    /// (azurerm v4.80.0 container_registry_cache_rule_resource.go; MicrosoftDocs azure-docs troubleshoot-artifact-cache.md).
    /// A role assignment's scope is an ARM ID.
    /// </summary>
    [Fact]
    public async Task The_registry_caches_every_kit_repository_and_the_kubelet_may_pull_from_it_and_only_it()
    {
        var run = await PlatformHarness.RunShipped("prod");

        var registry = run.Single("azure:containerservice/registry:Registry", "registry").Inputs;
        var name = (string)registry["name"];
        var registryId = $"{AzureMockState.GroupId("rg-os2borgerpc-platform-prod")}/providers/Microsoft.ContainerRegistry/registries/{name}";
        (registry["sku"], registry["adminEnabled"], registry["anonymousPullEnabled"]).ShouldBe(("Standard", false, false));
        System.Text.RegularExpressions.Regex.IsMatch(name, "^[a-z0-9]{5,50}$").ShouldBeTrue(name);
        var rules = run.OfType("azure:containerservice/registryCacheRule:RegistryCacheRule").ToList();
        rules.Select(r => (string)r.Inputs["sourceRepo"]).ShouldBe(ImageMirror.KitRepositories, ignoreOrder: true);
        rules.ShouldAllBe(r => (string)r.Inputs["containerRegistryId"] == registryId && r.Inputs["targetRepo"].Equals(r.Inputs["sourceRepo"]));
        rules.Select(r => (string)r.Inputs["sourceRepo"]).ShouldContain("docker.io/library/postgres");
        var pull = run.Single("azure:authorization/assignment:Assignment", "kubelet-pull").Inputs;
        (pull["scope"], pull["roleDefinitionName"], pull["principalId"]).ShouldBe((registryId, "AcrPull", AzureMockState.KubeletObjectId("aks-os2borgerpc-prod")));

        var json = (await OutputUtilities.GetValueAsync(run.Stack.TenantPlatform)).GetRawText();
        var images = PlatformFacts.Parse("prod", "test", JsonNode.Parse(json)).Facts!.Images.ShouldNotBeNull();
        (images.Prefix, images.DigestsRequired).ShouldBe(($"{name}.azurecr.io", false));
        images.CachedRepositories.ShouldBe(ImageMirror.KitRepositories);
    }

    [Fact]
    public async Task The_exported_facts_parse_as_tenants_read_them_and_carry_the_clouds_ids()
    {
        var run = await PlatformHarness.RunShippedFleet("prod");
        var stack = run.Stack;

        var json = (await OutputUtilities.GetValueAsync(stack.TenantPlatform)).GetRawText();
        var (facts, problems) = PlatformFacts.Parse("prod", "test", JsonNode.Parse(json));

        problems.ShouldBeEmpty();
        var azure = facts!.Azure.ShouldNotBeNull();
        azure.PostgresSubnetId.ShouldEndWith("/snet-postgres");
        azure.PostgresPrivateDnsZoneId.ShouldEndWith("/privatelink.postgres.database.azure.com");
        azure.OidcIssuerUrl.ShouldBe(PlatformMocks.OidcIssuer);
        azure.EgressIps.Length.ShouldBe(2);
        facts.Backup.AzureStorageAccountId!.ShouldEndWith(run.Single("azure:storage/account:Account", "backup").Inputs["name"].ToString()!);
        facts.Aks.ShouldBe(new AksEndpoint("aks-os2borgerpc-prod", PlatformMocks.ApiServer, PlatformMocks.ClusterCa));
        // The tenants whose group the foundation made: a tenant missing here is refused by its own program (PlatformInputs).
        facts.TenantResourceGroups.ShouldBe(["aarhus", "faelles-it"]);
        (await Output.IsSecretAsync(stack.TenantPlatform)).ShouldBeFalse();
        var deployed = (await OutputUtilities.GetValueAsync(stack.DeployedSettings))!.Value;
        deployed.GetProperty("postgresSubnet").GetString().ShouldBe("10.240.16.0/24");
        run.Single("pulumi:providers:kubernetes", "cluster").Inputs["kubeconfig"].ShouldBe(AksKubeconfig.For(facts.Aks!));
    }

    /// <summary>
    /// Entra ID only: azurerm v4.80.0 (internal/services/containers/kubernetes_cluster_resource.go) names the block
    /// azure_active_directory_role_based_access_control (azure_rbac_enabled, admin_group_object_ids), local_account_disabled
    /// and api_server_access_profile.authorized_ip_ranges; with local accounts disabled it reads no kube_admin_config.
    /// </summary>
    [Fact]
    public async Task The_cluster_signs_in_through_entra_id_only_with_azure_rbac_and_the_operators_as_administrators()
    {
        var run = await PlatformHarness.RunShippedFleet("prod");

        var cluster = run.Single("azure:containerservice/kubernetesCluster:KubernetesCluster", "cluster").Inputs;
        cluster["localAccountDisabled"].ShouldBe(true);
        var entra = Map(cluster["azureActiveDirectoryRoleBasedAccessControl"]);
        entra["azureRbacEnabled"].ShouldBe(true);
        List(entra["adminGroupObjectIds"]).ShouldBe(["3f2b8c1e-5d4a-4e7b-9c6f-0a1b2c3d4e5f"]);
        // The default: a public API server, Entra ID sign-in only, and no access profile at all: azurerm v4.80.0
        // (kubernetes_cluster_resource.go, flattenKubernetesClusterAPIAccessProfile) reads an empty one back as nothing.
        cluster.ShouldNotContainKey("apiServerAccessProfile");
        var officer = run.Single("azure:authorization/assignment:Assignment", "secrets-officer").Inputs;
        (officer["principalId"], officer["principalType"]).ShouldBe(("3f2b8c1e-5d4a-4e7b-9c6f-0a1b2c3d4e5f", "Group"), "the named group, never whoever runs up");
    }

    [Fact]
    public async Task Authorized_ranges_restrict_the_api_server_to_them_and_the_clusters_own_egress()
    {
        var yaml = File.ReadAllText(Path.Combine(RepositoryRoot.FullPath, "stacks/platform/Pulumi.prod.yaml"))
            .Replace("        autoUpgradeChannel: patch\n", "        autoUpgradeChannel: patch\n        apiServerAuthorizedRanges: [203.0.113.0/24]\n");
        var run = await PlatformHarness.Run("prod", yaml);

        var access = Map(run.Single("azure:containerservice/kubernetesCluster:KubernetesCluster", "cluster").Inputs["apiServerAccessProfile"]);
        List(access["authorizedIpRanges"]).ShouldBe(["203.0.113.0/24", "20.50.1.11/32", "20.50.1.12/32"]);
    }

    /// <summary>The mocked cluster hands out a static admin kubeconfig (what local accounts give): no output and no provider carries it.</summary>
    [Fact]
    public async Task No_stack_output_or_provider_carries_a_static_cluster_credential()
    {
        var run = await PlatformHarness.RunShipped("prod");

        StaticCredentials.In(PlatformMocks.StaticKubeconfig).ShouldNotBeEmpty("the scan finds a static credential where there is one");
        var outputs = await StackOutputs.Of(run.Stack);
        outputs.Keys.ShouldContain(PlatformFacts.OutputName);
        outputs.Where(o => StaticCredentials.In(o.Value).Any()).Select(o => o.Key).ShouldBeEmpty();
        var kubeconfig = (string)run.Single("pulumi:providers:kubernetes", "cluster").Inputs["kubeconfig"];
        StaticCredentials.In(kubeconfig).ShouldBeEmpty();
        kubeconfig.ShouldContain("\"command\":\"kubelogin\"");
    }

    [Fact]
    public async Task Cert_manager_answers_dns01_in_the_fleets_zone_as_its_own_workload_identity()
    {
        var run = await PlatformHarness.RunShipped("prod");

        var chart = run.Single("kubernetes:helm.sh/v3:Release", "cert-manager").Inputs;
        var values = Map(chart["values"]);
        Map(values["podLabels"])["azure.workload.identity/use"].ShouldBe("true");
        var credential = run.Single("azure:armmsi/federatedIdentityCredential:FederatedIdentityCredential", "cert-manager").Inputs;
        credential["subject"].ShouldBe("system:serviceaccount:cert-manager:cert-manager");
        credential["issuer"].ShouldBe(PlatformMocks.OidcIssuer);
        var role = run.Single("azure:authorization/assignment:Assignment", "cert-manager-dns").Inputs;
        role["roleDefinitionName"].ShouldBe("DNS Zone Contributor");
        ((string)role["scope"]).ShouldEndWith("/borgerpc.dk");
        var issuer = run.Single("kubernetes:cert-manager.io/v1:ClusterIssuer", "letsencrypt-dns01").Inputs;
        var azureDns = Map(Map(List(Map(Map(issuer["spec"])["acme"])["solvers"]).Single())["dns01"])["azureDNS"];
        var dns = Map(azureDns);
        (dns["subscriptionID"], dns["hostedZoneName"]).ShouldBe((PlatformMocks.Subscription, "borgerpc.dk"));
        Map(dns["managedIdentity"])["clientID"].ShouldBe(AzureMockState.ClientId((string)run.Single("azure:authorization/userAssignedIdentity:UserAssignedIdentity", "cert-manager").Inputs["name"]));
        var gateway = run.Single("kubernetes:gateway.networking.k8s.io/v1:Gateway", "gateway").Inputs;
        Map(Map(gateway["metadata"])["annotations"])["cert-manager.io/cluster-issuer"].ShouldBe("letsencrypt-dns01");
    }
}
