using OS2BorgerPC.Deploy.PlatformProgram.Kubernetes;
using OS2BorgerPC.Deploy.PlatformDecisions.Decisions;
using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using Pulumi;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;

namespace OS2BorgerPC.Deploy.PlatformProgram.Components;

/// <summary>Where DNS-01 challenges are answered (azure flavour): the fleet's zone and the identity allowed to change it.</summary>
public sealed record AzureDnsSolver(Output<string> SubscriptionId, Output<string> ResourceGroup, string ZoneName, Output<string> ClientId);

/// <summary>
/// cert-manager with Gateway API support, and the fleet's ClusterIssuers: Let's Encrypt production and staging over
/// HTTP-01 through the shared Gateway, and (azure) DNS-01 against the fleet's zone with workload identity, for the
/// wildcard certificate and hosts only municipal networks reach.
/// </summary>
public sealed class CertManager : ComponentResource
{
    public const string Production = "https://acme-v02.api.letsencrypt.org/directory";
    public const string Staging = "https://acme-staging-v02.api.letsencrypt.org/directory";

    public CertManager(PlatformSettings platform, EnvoyGateway gateway, AzureDnsSolver? dns, ComponentResourceOptions? options = null)
        : base("os2borgerpc:platform:CertManager", platform.Name, options)
    {
        var values = new InputMap<object>
        {
            ["crds"] = new Dictionary<string, object> { ["enabled"] = true },
            ["config"] = new Dictionary<string, object>
            {
                ["apiVersion"] = "controller.config.cert-manager.io/v1alpha1",
                ["kind"] = "ControllerConfiguration",
                ["enableGatewayAPI"] = true,
            },
        };
        if (dns is not null)
        {
            // Workload identity: the webhook injects the federated token for pods and a service account so labelled.
            var workloadIdentity = new Dictionary<string, object> { ["azure.workload.identity/use"] = "true" };
            values["podLabels"] = workloadIdentity;
            values["serviceAccount"] = new Dictionary<string, object> { ["labels"] = workloadIdentity };
        }
        // Gateway API support needs the Gateway API CRDs when the controller starts: after Envoy Gateway's chart.
        var (_, chart) = HelmRelease.Install("cert-manager", FleetDnsZone.CertManagerNamespace, platform.Charts.CertManager, values, this, gateway.Chart);
        // A Helm release that waited for its post-install startupapicheck Job: the webhook answers before any ClusterIssuer is sent.
        Chart = chart;
        var afterChart = new CustomResourceOptions { Parent = this, DependsOn = { chart } };

        var issuers = TenantFacts.Issuers(platform);
        var http01 = new AcmeSolverArgs
        {
            Http01 = new Http01SolverArgs
            {
                GatewayHttpRoute = new GatewayHttpRouteSolverArgs
                {
                    ParentRefs =
                    {
                        new ParentReferenceArgs
                        {
                            Name = gateway.GatewayName,
                            Namespace = gateway.GatewayNamespace,
                            Kind = "Gateway",
                            SectionName = SharedGateway.HttpListener,
                        },
                    },
                },
            },
        };
        Issuer(issuers.Http01, Production, http01, platform, afterChart);
        Issuer(issuers.Http01Staging, Staging, http01, platform, afterChart);
        if (issuers.Dns01 is { } dns01 && dns is not null)
        {
            Issuer(dns01, Production, new AcmeSolverArgs
            {
                Dns01 = new Dns01SolverArgs
                {
                    AzureDns = new AzureDnsSolverArgs
                    {
                        SubscriptionId = dns.SubscriptionId,
                        ResourceGroupName = dns.ResourceGroup,
                        HostedZoneName = dns.ZoneName,
                        Environment = "AzurePublicCloud",
                        ManagedIdentity = new AzureManagedIdentityArgs { ClientId = dns.ClientId },
                    },
                },
            }, platform, afterChart);
        }
        RegisterOutputs(new Dictionary<string, object?> { ["http01"] = issuers.Http01 });
    }

    private static ClusterIssuer Issuer(string name, string server, AcmeSolverArgs solver, PlatformSettings platform, CustomResourceOptions options) =>
        new(name, new ClusterIssuerArgs
        {
            Metadata = new ObjectMetaArgs { Name = name },
            Spec = new ClusterIssuerSpecArgs
            {
                Acme = new AcmeIssuerArgs
                {
                    Server = server,
                    Email = platform.IssuerEmail,
                    PrivateKeySecretRef = new SecretKeyReferenceArgs { Name = $"{name}-account" },
                    Solvers = { solver },
                },
            },
        }, options);

    /// <summary>cert-manager's release: what issues certificates (the Barman Cloud plugin's) waits for it.</summary>
    public Resource Chart { get; private set; } = null!;
}
