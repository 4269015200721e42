using OS2BorgerPC.Deploy.TenantProgram.Contracts;
using OS2BorgerPC.Deploy.TenantProgram.Azure;
using OS2BorgerPC.Deploy.TenantProgram.Kubernetes;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Naming;
using OS2BorgerPC.Deploy.TenantDecisions.Security;
using OS2BorgerPC.Deploy.TenantDecisions.Templates;
using Pulumi;
using Pulumi.Azure.ArmMsi;
using Pulumi.Azure.Authorization;
using Pulumi.Azure.Network;
using Pulumi.Azure.Network.Inputs;
using Pulumi.Azure.PostgreSql;
using Pulumi.Azure.PostgreSql.Inputs;
using Pulumi.Kubernetes.Types.Inputs.Networking.V1;

namespace OS2BorgerPC.Deploy.TenantProgram.Components;

/// <summary>
/// The database of an <c>azure</c> tenant: its own PostgreSQL flexible server (TLS required, sized by the tier)
/// with the app's database (locked against deletion), reachable privately through a delegated subnet or publicly
/// only from the cluster's egress addresses. The server's administrator login keeps a generated password that
/// stays in the stack; Microsoft Entra authentication is on, with a per-tenant managed identity as Entra
/// administrator, which makes the app's own role (<see cref="AzureAppRole"/>) as the app connects with.
/// </summary>
public sealed class AzureDatabase : ComponentResource
{
    public const int Port = DatabaseEndpoint.PostgresPort;

    /// <summary>The server input auto-grow owns after creation.</summary>
    public const string StorageMbInput = "storageMb";

    public AzureDatabase(TenantScope scope, Input<string> resourceGroup, TenantSecrets secrets, ComponentResourceOptions? options = null)
        : base("os2borgerpc:azure:AzureDatabase", scope.Tenant.Slug, options)
    {
        var tenant = scope.Tenant;
        var azure = tenant.Azure ?? throw new InvalidOperationException($"Tenant {tenant.Slug} has no azure settings.");
        var network = azure.DatabaseNetwork ?? throw new InvalidOperationException($"Tenant {tenant.Slug} was not resolved against its platform.");
        var size = tenant.Size.AzureDatabase;
        var child = new CustomResourceOptions { Parent = this };

        // The Entra administrator: a managed identity of the tenant's own, trusted only for the app-role Job's
        // service-account tokens from the tenant's cluster.
        var administrator = new UserAssignedIdentity("database-administrator", new UserAssignedIdentityArgs
        {
            Name = DatabaseRoles.AzureEntraAdministrator(tenant),
            ResourceGroupName = resourceGroup,
            Location = azure.Location,
            Tags = AzureData.Tags(tenant),
        }, child);
        new FederatedIdentityCredential("app-role-job", new FederatedIdentityCredentialArgs
        {
            Name = DatabaseRoles.AppRoleServiceAccount,
            UserAssignedIdentityId = administrator.Id,
            Audience = DatabaseRoles.FederatedTokenAudience,
            Issuer = azure.ClusterOidcIssuerUrl ?? throw new InvalidOperationException($"Tenant {tenant.Slug} was not resolved against its platform."),
            Subject = DatabaseRoles.FederatedSubject(tenant),
        }, child);

        var args = new FlexibleServerArgs
        {
            Name = tenant.Names.PostgresServer,
            ResourceGroupName = resourceGroup,
            Location = azure.Location,
            Version = AzureSettings.PostgresVersion,
            SkuName = size.SkuName,
            StorageMb = size.StorageMb,
            AutoGrowEnabled = true,
            Zone = AzureSettings.DatabaseZone,
            AdministratorLogin = DatabaseRoles.AzureAdministratorLogin(tenant),
            // In the stack only: no pod, Secret or output carries it.
            AdministratorPassword = TenantSecrets.Generate("database-administrator-password", PasswordPolicy.Database, this),
            // Entra for administrators (tokens, no stored secret); passwords for the administrator login and the app's role.
            Authentication = new FlexibleServerAuthenticationArgs
            {
                ActiveDirectoryAuthEnabled = true,
                PasswordAuthEnabled = true,
                TenantId = administrator.TenantId,
            },
            BackupRetentionDays = azure.DatabaseBackupRetentionDays,
            GeoRedundantBackupEnabled = azure.GeoRedundantBackup,
            Tags = AzureData.Tags(tenant),
        };
        if (size.HighAvailability)
        {
            args.HighAvailability = new FlexibleServerHighAvailabilityArgs { Mode = "ZoneRedundant", StandbyAvailabilityZone = AzureSettings.DatabaseStandbyZone };
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
        // Auto-grow enlarges the disk; the next refresh records the larger size, and a smaller storageMb than the
        // recorded one forces replacement (azurerm v4.80.0 postgresql_flexible_server_resource.go CustomizeDiff:
        // ForceNew on a decrease only). The tier's size applies at creation; Azure owns it from then on.
        var serverOptions = DataProtection.Options(this);
        serverOptions.IgnoreChanges.Add(StorageMbInput);
        var server = new FlexibleServer("server", args, serverOptions);
        Server = server;

        var entraAdministrator = new FlexibleServerActiveDirectoryAdministrator("entra-administrator", new FlexibleServerActiveDirectoryAdministratorArgs
        {
            ServerName = server.Name,
            ResourceGroupName = resourceGroup,
            ObjectId = administrator.PrincipalId,
            PrincipalName = administrator.Name,
            PrincipalType = "ServicePrincipal",
            TenantId = administrator.TenantId,
        }, child);

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
        // The lock sits on the data, the database, not on the server: a lock on the server would reach its
        // children and forbid deleting a firewall rule (ScopeLocked when clusterEgressRanges shrink).
        AzureData.DeleteLock("database-lock", database.Id, tenant, this);

        var peer = Peer(network, this);
        var endpoint = DatabaseEndpoint.For(tenant);
        // The roots the server's certificate chains to, for verify-full (DatabaseTls.AzureRoots): public certificates.
        var roots = new Pulumi.Kubernetes.Core.V1.ConfigMap("database-roots", new Pulumi.Kubernetes.Types.Inputs.Core.V1.ConfigMapArgs
        {
            Metadata = scope.Meta(DatabaseTls.AzureRoots.Name),
            Data = { { DatabaseTls.AzureRoots.Key, TemplateRenderer.Source(DatabaseTls.AzureRootsTemplate) } },
        }, child);
        var appRole = new AzureAppRole(scope, new AzureAppRoleArgs(
            Host: server.Fqdn,
            Administrator: administrator,
            Password: secrets.DatabasePasswordRef,
            Peer: peer,
            Ca: DatabaseTls.AzureRoots,
            DependsOn: [database, entraAdministrator, roots]), new ComponentResourceOptions { Parent = this });

        Connection = new DatabaseConnection(
            Host: server.Fqdn,
            Port: Port,
            Name: endpoint.Name,
            User: endpoint.User,
            Password: secrets.DatabasePasswordRef,
            Peer: peer,
            Ready: appRole.Job,
            Ca: DatabaseTls.AzureRoots);

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
            IpBlock = new IPBlockArgs { Cidr = "0.0.0.0/0", Except = [.. OS2BorgerPC.Deploy.TenantDecisions.Traffic.TenantNetwork.PrivateRanges] },
        };
    }
}
