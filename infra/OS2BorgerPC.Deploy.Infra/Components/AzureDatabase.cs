using OS2BorgerPC.Deploy.Infra.Contracts;
using OS2BorgerPC.Deploy.Infra.Azure;
using OS2BorgerPC.Deploy.Infra.Kubernetes;
using OS2BorgerPC.Deploy.Tenants.Model;
using OS2BorgerPC.Deploy.Tenants.Naming;
using Pulumi;
using Pulumi.Azure.Core;
using Pulumi.Azure.Network;
using Pulumi.Azure.Network.Inputs;
using Pulumi.Azure.PostgreSql;
using Pulumi.Azure.PostgreSql.Inputs;
using Pulumi.Kubernetes.Types.Inputs.Networking.V1;

namespace OS2BorgerPC.Deploy.Infra.Components;

/// <summary>
/// The database of an <c>azure</c> tenant: its own PostgreSQL flexible server (TLS required, sized by the
/// tier, locked against deletion) with the app's database, reachable privately through a delegated subnet
/// or publicly only from the cluster's egress addresses.
/// </summary>
public sealed class AzureDatabase : ComponentResource
{
    public const int Port = DatabaseEndpoint.PostgresPort;

    public AzureDatabase(TenantScope scope, ResourceGroup resourceGroup, TenantSecrets secrets, ComponentResourceOptions? options = null)
        : base("os2borgerpc:azure:AzureDatabase", scope.Tenant.Slug, options)
    {
        var tenant = scope.Tenant;
        var azure = tenant.Azure ?? throw new InvalidOperationException($"Tenant {tenant.Slug} has no azure settings.");
        var network = azure.DatabaseNetwork ?? throw new InvalidOperationException($"Tenant {tenant.Slug} was not resolved against its platform.");
        var size = tenant.Size.AzureDatabase;
        var child = new CustomResourceOptions { Parent = this };

        var args = new FlexibleServerArgs
        {
            Name = tenant.Names.PostgresServer,
            ResourceGroupName = resourceGroup.Name,
            Location = azure.Location,
            Version = AzureSettings.PostgresVersion,
            SkuName = size.SkuName,
            StorageMb = size.StorageMb,
            AutoGrowEnabled = true,
            AdministratorLogin = tenant.Names.DatabaseUser,
            AdministratorPassword = secrets.DatabasePassword,
            BackupRetentionDays = azure.DatabaseBackupRetentionDays,
            GeoRedundantBackupEnabled = azure.GeoRedundantBackup,
            Tags = AzureData.Tags(tenant),
        };
        if (size.HighAvailability)
        {
            args.HighAvailability = new FlexibleServerHighAvailabilityArgs { Mode = "ZoneRedundant" };
        }
        switch (network)
        {
            case AzureDatabaseNetwork.Private privateNetwork:
                args.PublicNetworkAccessEnabled = false;
                args.DelegatedSubnetId = privateNetwork.DelegatedSubnetId;
                args.PrivateDnsZoneId = privateNetwork.PrivateDnsZoneId;
                break;
            case AzureDatabaseNetwork.Firewall:
                args.PublicNetworkAccessEnabled = true;
                break;
        }
        var server = new FlexibleServer("server", args, DataProtection.Options(this));
        Server = server;

        AzureData.DeleteLock("server-lock", server.Id, tenant, this);

        new FlexibleServerConfiguration("require-tls", new FlexibleServerConfigurationArgs
        {
            ServerId = server.Id,
            Name = "require_secure_transport",
            Value = "on",
        }, child);

        if (network is AzureDatabaseNetwork.Firewall firewall)
        {
            foreach (var rule in firewall.Rules)
            {
                new FlexibleServerFirewallRule(rule.Name, new FlexibleServerFirewallRuleArgs
                {
                    ServerId = server.Id,
                    Name = rule.Name,
                    StartIpAddress = rule.StartIpAddress,
                    EndIpAddress = rule.EndIpAddress,
                }, child);
            }
        }

        var database = new FlexibleServerDatabase("database", new FlexibleServerDatabaseArgs
        {
            ServerId = server.Id,
            Name = tenant.Names.DatabaseName,
            Charset = "UTF8",
            Collation = "en_US.utf8",
        }, DataProtection.Options(this));

        Connection = new DatabaseConnection(
            Host: server.Fqdn,
            Port: Port,
            Name: tenant.Names.DatabaseName,
            User: tenant.Names.DatabaseUser,
            Password: secrets.DatabasePasswordRef,
            Peer: Peer(network, this),
            Ready: database);

        RegisterOutputs(new Dictionary<string, object?> { ["fqdn"] = server.Fqdn });
    }

    public FlexibleServer Server { get; }

    public DatabaseConnection Connection { get; }

    /// <summary>
    /// The server as a NetworkPolicy peer: exactly its delegated subnet when private. A public server's
    /// address is not stable, so pods may reach PostgreSQL's port on public addresses, and the server's
    /// firewall admits only the cluster.
    /// </summary>
    private static NetworkPolicyPeerArgs Peer(AzureDatabaseNetwork network, Resource parent)
    {
        if (network is AzureDatabaseNetwork.Private privateNetwork)
        {
            var id = AzureSubnetId.Parse(privateNetwork.DelegatedSubnetId);
            var subnet = GetSubnet.Invoke(new GetSubnetInvokeArgs
            {
                Name = id.Subnet,
                VirtualNetworkName = id.VirtualNetwork,
                ResourceGroupName = id.ResourceGroup,
            }, new InvokeOptions { Parent = parent });
            return new NetworkPolicyPeerArgs { IpBlock = new IPBlockArgs { Cidr = subnet.Apply(s => s.AddressPrefixes[0]) } };
        }
        return new NetworkPolicyPeerArgs
        {
            IpBlock = new IPBlockArgs { Cidr = "0.0.0.0/0", Except = TenantNetworkPolicies.PrivateRanges },
        };
    }
}
