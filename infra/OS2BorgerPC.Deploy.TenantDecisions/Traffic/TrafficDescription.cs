namespace OS2BorgerPC.Deploy.TenantDecisions.Traffic;

/// <summary>A tenant's traffic and NetworkPolicies in words, one line per object: what <c>tenant show</c> prints.</summary>
public static class TrafficDescription
{
    public static IEnumerable<(string Key, string Value)> Lines(TenantTraffic traffic, IEnumerable<NetworkRule> rules)
    {
        if (traffic.Listener is { } listener)
        {
            yield return ("listener", $"https://{listener.Hostname}:{listener.Port} on Gateway {listener.Gateway.Namespace}/{listener.Gateway.Name} (ListenerSet {listener.Name}, Secret {listener.TlsSecret})");
        }
        yield return ("certificate", traffic.Certificate is { } certificate
            ? $"{string.Join(", ", certificate.DnsNames)} from ClusterIssuer {certificate.ClusterIssuer}" + (certificate.UsesHttp01Solver ? " (HTTP-01 through the Gateway)" : " (DNS-01)")
            : "the platform's, on the shared Gateway's HTTPS listener");
        foreach (var route in traffic.Routes)
        {
            var parents = string.Join(", ", route.Parents.Select(p => $"{p.Kind} {(p.Namespace is null ? "" : p.Namespace + "/")}{p.Name} listener {p.SectionName}"));
            yield return ($"route {route.Name}", route.Action switch
            {
                RouteAction.ToService to => $"{route.Hostname}/ -> Service {to.Service}:{to.Port} (media server: /media/ from disk, the rest to the app), timeout {to.RequestTimeoutSeconds} s; on {parents}",
                RouteAction.RedirectToHttps redirect => $"http://{route.Hostname}/ -> https ({redirect.StatusCode}); on {parents}",
                _ => route.Action.ToString(),
            });
        }
        var allow = traffic.AllowList;
        yield return ("allow-list", $"SecurityPolicy {allow.Name} on {string.Join(", ", allow.TargetRoutes)}: {AllowList.RuleAction} {string.Join(", ", allow.ClientCidrs)}" +
            $"{(allow.Public ? " (public: true)" : "")}; {AllowList.DefaultAction} everything else");
        yield return ("body limit", $"{traffic.BodyLimit.Limit} (BackendTrafficPolicy {traffic.BodyLimit.Name} on {string.Join(", ", traffic.BodyLimit.TargetRoutes)})");
        foreach (var rule in rules)
        {
            var flows = rule.From.Select(f => $"from {f}").Concat(rule.To.Select(f => $"to {f}")).ToList();
            yield return ($"network {rule.Name}", $"{rule.Selects}: {(flows.Count == 0 ? $"deny all ({string.Join(", ", rule.PolicyTypes)})" : string.Join("; ", flows))}");
        }
    }
}
