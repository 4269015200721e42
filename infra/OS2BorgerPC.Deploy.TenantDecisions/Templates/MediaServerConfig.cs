using OS2BorgerPC.Deploy.TenantDecisions.Model;

namespace OS2BorgerPC.Deploy.TenantDecisions.Templates;

/// <summary>The nginx config of the media server in front of a tenant's admin site (templates/media-nginx.conf.scriban).</summary>
public static class MediaServerConfig
{
    public const string MediaPath = "/media";

    public static string Render(Tenant tenant) => TemplateRenderer.Render("media-nginx.conf.scriban", new
    {
        BodyLimitMib = tenant.Gateway.BodyLimitMiB,
        ListenPort = AdminSitePorts.MediaServer,
        tenant.Host,
        MediaPath,
        AppPort = AdminSitePorts.Web,
        RequestTimeoutSeconds = Traffic.TenantTraffic.RequestTimeoutSeconds,
    });
}
