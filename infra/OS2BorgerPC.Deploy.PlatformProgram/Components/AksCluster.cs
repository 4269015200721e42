using OS2BorgerPC.Deploy.PlatformProgram.Azure;
using OS2BorgerPC.Deploy.PlatformDecisions.Decisions;
using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Platform;
using Pulumi;
using Pulumi.Azure.Authorization;
using Pulumi.Azure.ContainerService;
using Pulumi.Azure.ContainerService.Inputs;
using Pulumi.Azure.Core;
using Pulumi.Azure.Monitoring;
using Pulumi.Azure.Monitoring.Inputs;
using Pulumi.Azure.OperationalInsights;

namespace OS2BorgerPC.Deploy.PlatformProgram.Components;

/// <summary>
/// The AKS cluster: Azure CNI overlay with Cilium (dataplane and NetworkPolicy), OIDC issuer and workload identity,
/// a system pool for critical add-ons only and an autoscaled user pool for the tenants, both across three zones,
/// patch auto-upgrades, egress through the NAT gateway, Container Insights into a Log Analytics workspace.
/// Sign-in through Entra ID only (<see cref="ClusterAccess"/>): Azure RBAC for Kubernetes, local accounts disabled, and
/// no credential leaves the component, only the API server's address and CA (<see cref="Endpoint"/>).
/// </summary>
public sealed class AksCluster : ComponentResource
{
    private static readonly string[] Zones = ["1", "2", "3"];

    public AksCluster(PlatformSettings platform, PlatformGroup group, PlatformNetwork network, ComponentResourceOptions? options = null)
        : base("os2borgerpc:platform:AksCluster", platform.Name, options)
    {
        var azure = platform.Azure!;
        var aks = azure.Aks;
        var names = platform.Names;
        var child = new CustomResourceOptions { Parent = this };

        var logs = new AnalyticsWorkspace("logs", new AnalyticsWorkspaceArgs
        {
            Name = names.LogAnalytics,
            ResourceGroupName = group.Name,
            Location = azure.Location,
            Sku = "PerGB2018",
            RetentionInDays = 30,
            Tags = AzureTags.For(names),
        }, child);

        // A user-assigned control-plane identity, granted the subnet before the cluster exists: AKS must join nodes
        // to the subnet and route egress through its NAT gateway from the first node on.
        var identity = new UserAssignedIdentity("control-plane", new UserAssignedIdentityArgs
        {
            Name = $"{names.Cluster}-control-plane",
            ResourceGroupName = group.Name,
            Location = azure.Location,
            Tags = AzureTags.For(names),
        }, child);
        var subnetAccess = new Assignment("control-plane-network", new AssignmentArgs
        {
            Scope = network.ClusterSubnetId,
            RoleDefinitionName = "Network Contributor",
            PrincipalId = identity.PrincipalId,
            PrincipalType = "ServicePrincipal",
        }, child);

        var clusterArgs = new KubernetesClusterArgs
        {
            Name = names.Cluster,
            ResourceGroupName = group.Name,
            Location = azure.Location,
            DnsPrefix = names.Cluster,
            // No version with the stable channel: AKS picks it at creation and the channel moves it (PlatformLoader).
            KubernetesVersion = aks.KubernetesVersion is { } version ? (Input<string>)version : null,
            AutomaticUpgradeChannel = aks.AutoUpgradeChannel,
            NodeOsUpgradeChannel = AksNetwork.NodeOsUpgradeChannel,
            SkuTier = "Standard",
            OidcIssuerEnabled = true,
            WorkloadIdentityEnabled = true,
            RoleBasedAccessControlEnabled = true,
            AzurePolicyEnabled = true,
            Identity = new KubernetesClusterIdentityArgs { Type = "UserAssigned", IdentityIds = { identity.Id } },
            DefaultNodePool = new KubernetesClusterDefaultNodePoolArgs
            {
                Name = "system",
                VmSize = aks.SystemPool.VmSize,
                AutoScalingEnabled = aks.SystemPool.MaxCount > aks.SystemPool.MinCount,
                NodeCount = aks.SystemPool.MinCount,
                MinCount = aks.SystemPool.MaxCount > aks.SystemPool.MinCount ? aks.SystemPool.MinCount : null,
                MaxCount = aks.SystemPool.MaxCount > aks.SystemPool.MinCount ? aks.SystemPool.MaxCount : null,
                // Tenants never land on the system nodes: CoreDNS, metrics and the CSI drivers keep their room.
                OnlyCriticalAddonsEnabled = true,
                VnetSubnetId = network.ClusterSubnetId,
                Zones = Zones,
                OsSku = "AzureLinux",
                TemporaryNameForRotation = "systemtmp",
                UpgradeSettings = new KubernetesClusterDefaultNodePoolUpgradeSettingsArgs { MaxSurge = AksNetwork.MaxSurge },
            },
            NetworkProfile = new KubernetesClusterNetworkProfileArgs
            {
                NetworkPlugin = AksNetwork.Plugin,
                NetworkPluginMode = AksNetwork.PluginMode,
                NetworkDataPlane = AksNetwork.DataPlane,
                NetworkPolicy = AksNetwork.Policy,
                PodCidr = azure.Network.PodCidr.ToString(),
                ServiceCidr = azure.Network.ServiceCidr.ToString(),
                DnsServiceIp = azure.Network.DnsServiceIp.ToString(),
                OutboundType = AksNetwork.OutboundType,
                LoadBalancerSku = "standard",
            },
            // Entra ID only: Azure RBAC decides what each identity may do; the operators' group is the cluster's
            // administrators; without local accounts AKS issues no static admin credential (azurerm v4.80.0
            // kubernetes_cluster_resource.go reads kube_admin_config only while local accounts are on).
            AzureActiveDirectoryRoleBasedAccessControl = new KubernetesClusterAzureActiveDirectoryRoleBasedAccessControlArgs
            {
                AzureRbacEnabled = true,
                AdminGroupObjectIds = { azure.OperatorGroupObjectId },
            },
            LocalAccountDisabled = true,
            OmsAgent = new KubernetesClusterOmsAgentArgs { LogAnalyticsWorkspaceId = logs.Id, MsiAuthForMonitoringEnabled = true },
            // When the channels may act (AksMaintenance): weekly, at night, apart from each other.
            MaintenanceWindowAutoUpgrade = new KubernetesClusterMaintenanceWindowAutoUpgradeArgs
            {
                Frequency = AksMaintenance.Frequency,
                Interval = AksMaintenance.Interval,
                DayOfWeek = aks.AutoUpgradeWindow.Day.ToString(),
                StartTime = AksMaintenance.StartTime(aks.AutoUpgradeWindow),
                Duration = aks.AutoUpgradeWindow.DurationHours,
                UtcOffset = AksMaintenance.UtcOffset,
            },
            MaintenanceWindowNodeOs = new KubernetesClusterMaintenanceWindowNodeOsArgs
            {
                Frequency = AksMaintenance.Frequency,
                Interval = AksMaintenance.Interval,
                DayOfWeek = aks.NodeOsWindow.Day.ToString(),
                StartTime = AksMaintenance.StartTime(aks.NodeOsWindow),
                Duration = aks.NodeOsWindow.DurationHours,
                UtcOffset = AksMaintenance.UtcOffset,
            },
            Tags = AzureTags.For(names),
        };
        // Only with ranges to set: azurerm v4.80.0 flattens an access profile without ranges, VNet integration or subnet to
        // nothing (flattenKubernetesClusterAPIAccessProfile), so an always-sent empty block could differ from state on every up.
        if (!aks.ApiServerAuthorizedRanges.IsEmpty)
        {
            clusterArgs.ApiServerAccessProfile = new KubernetesClusterApiServerAccessProfileArgs
            {
                AuthorizedIpRanges = network.EgressIps.Apply(egress => ClusterAccess.AuthorizedRanges(aks.ApiServerAuthorizedRanges, egress)),
            };
        }
        var cluster = new KubernetesCluster("cluster", clusterArgs, new CustomResourceOptions
        {
            Parent = this,
            Protect = true,
            RetainOnDelete = true,
            // The subnet's NAT gateway must carry traffic before the first node boots (PlatformNetwork.EgressAssociations).
            DependsOn = network.EgressAssociations.Prepend(subnetAccess).ToArray(),
        });

        // Container Insights collects only what a rule associated with the cluster names (ContainerInsights).
        var insights = new DataCollectionRule("container-insights", new DataCollectionRuleArgs
        {
            Name = ContainerInsights.RuleName(azure.Location, names.Cluster),
            ResourceGroupName = group.Name,
            Location = azure.Location,
            Description = "Container Insights for the OS2BorgerPC cluster.",
            Destinations = new DataCollectionRuleDestinationsArgs
            {
                LogAnalytics = { new DataCollectionRuleDestinationsLogAnalyticArgs { Name = ContainerInsights.Destination, WorkspaceResourceId = logs.Id } },
            },
            DataFlows = { new DataCollectionRuleDataFlowArgs { Streams = { ContainerInsights.Stream }, Destinations = { ContainerInsights.Destination } } },
            DataSources = new DataCollectionRuleDataSourcesArgs
            {
                Extensions =
                {
                    new DataCollectionRuleDataSourcesExtensionArgs
                    {
                        Name = ContainerInsights.AssociationName,
                        ExtensionName = ContainerInsights.ExtensionName,
                        Streams = { ContainerInsights.Stream },
                        ExtensionJson = ContainerInsights.ExtensionJson,
                    },
                },
            },
            Tags = AzureTags.For(names),
        }, child);
        new DataCollectionRuleAssociation("container-insights", new DataCollectionRuleAssociationArgs
        {
            Name = ContainerInsights.AssociationName,
            TargetResourceId = cluster.Id,
            DataCollectionRuleId = insights.Id,
            Description = "Deleting this association stops Container Insights for the cluster.",
        }, child);

        new KubernetesClusterNodePool("tenants", new KubernetesClusterNodePoolArgs
        {
            Name = "tenants",
            KubernetesClusterId = cluster.Id,
            Mode = "User",
            VmSize = aks.UserPool.VmSize,
            AutoScalingEnabled = true,
            MinCount = aks.UserPool.MinCount,
            MaxCount = aks.UserPool.MaxCount,
            VnetSubnetId = network.ClusterSubnetId,
            Zones = Zones,
            OsSku = "AzureLinux",
            TemporaryNameForRotation = "tenantstmp",
            UpgradeSettings = new KubernetesClusterNodePoolUpgradeSettingsArgs { MaxSurge = AksNetwork.MaxSurge },
            Tags = AzureTags.For(names),
        }, child);

        // The user kubeconfig holds no credential on an Entra ID cluster, but the provider marks all of it secret:
        // only its server and CA are taken, which are public facts of the cluster.
        var user = cluster.KubeConfigs.Apply(configs => configs[0]);
        Endpoint = Output.Unsecret(Output.Tuple(user.Apply(u => u.Host), user.Apply(u => u.ClusterCaCertificate)))
            .Apply(t => new AksEndpoint(names.Cluster, t.Item1!, t.Item2!));
        OidcIssuerUrl = cluster.OidcIssuerUrl;
        ClusterId = cluster.Id;
        ControlPlanePrincipalId = identity.PrincipalId;
        // AKS makes the kubelet identity (in the node resource group) when the cluster names none; nodes pull images with it.
        KubeletObjectId = cluster.KubeletIdentity.Apply(kubelet => kubelet.ObjectId ?? throw new InvalidOperationException("AKS reported no kubelet identity."));
        RegisterOutputs(new Dictionary<string, object?> { ["oidcIssuerUrl"] = OidcIssuerUrl });
    }

    /// <summary>Where the API server is and its CA: the platform's and the tenants' providers reach it through <see cref="AksKubeconfig"/>.</summary>
    public Output<AksEndpoint> Endpoint { get; }

    public Output<string> OidcIssuerUrl { get; }

    public Output<string> ClusterId { get; }

    /// <summary>The cluster's (control-plane) identity, which puts public IPs on its load balancer.</summary>
    public Output<string> ControlPlanePrincipalId { get; }

    /// <summary>The object ID of the identity the nodes' kubelet pulls images with.</summary>
    public Output<string> KubeletObjectId { get; }
}
