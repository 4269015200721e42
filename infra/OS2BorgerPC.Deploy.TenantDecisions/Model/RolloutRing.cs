namespace OS2BorgerPC.Deploy.TenantDecisions.Model;

/// <summary>
/// Which wave of a fleet-wide rollout a tenant is in (<c>ring</c> in its stack file). A change reaches the rings in
/// this order, each only after the one before succeeded: <see cref="Canary"/> (one or two tenants: the supplier's
/// own, or volunteers), <see cref="Early"/>, then <see cref="Broad"/>, every tenant that names no ring.
/// </summary>
public enum RolloutRing
{
    Canary,
    Early,
    Broad,
}
