using OS2BorgerPC.Deploy.ControlPlane.Tests.Support;
using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using Xunit.Abstractions;

namespace OS2BorgerPC.Deploy.ControlPlane.Tests;

/// <summary>
/// A tenant with a certificate of its own (<c>gateway.certificate: http01</c>): a cert-manager Certificate and a
/// Gateway API ListenerSet (<c>gateway.networking.k8s.io/v1</c>, standard from Gateway API v1.5.0) in its namespace,
/// accepted by the CRDs the pinned charts install (Envoy Gateway v1.9.0 bundles Gateway API v1.6.1). The shared
/// Gateway admits it through <c>spec.allowedListeners</c> (PlatformTests applies that Gateway against the same CRDs).
/// </summary>
[Collection(ControlPlaneCollection.Name)]
public sealed class OwnCertificateTests(Support.ControlPlane plane, ITestOutputHelper output)
{
    [ControlPlaneFact]
    public async Task Every_object_of_a_tenant_with_its_own_certificate_is_accepted_its_ListenerSet_included()
    {
        var stack = TenantStacks.OwnCertificate;
        var (tenant, rollout) = await plane.RolledOut(stack, TenantStacks.StackFile(stack));
        var gatewayApi = ChartCrds.PinnedReleases.Single(r => r.Project == "gateway-api");
        output.WriteLine($"{rollout} (Gateway API {gatewayApi.Version}, {gatewayApi.Channel} channel)");

        tenant.OfKind("Certificate").ShouldHaveSingleItem("the tenant asks cert-manager for its own certificate");
        tenant.OfKind("ListenerSet").ShouldHaveSingleItem("the tenant adds its own HTTPS listener to the shared Gateway");
        rollout.Refusals.ShouldBeEmpty(string.Join("\n", rollout.Refusals));
        rollout.Pods.ShouldBeGreaterThanOrEqualTo(rollout.ExpectedPods);
    }
}
