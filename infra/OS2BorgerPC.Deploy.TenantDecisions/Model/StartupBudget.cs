namespace OS2BorgerPC.Deploy.TenantDecisions.Model;

/// <summary>
/// How long the admin site may take to start, and every wait derived from it: the startup probe's window, and how
/// long Pulumi waits for the Deployment and for the smoke-check Job. One number (<see cref="Seconds"/>) decides them,
/// so Pulumi never gives up on a rollout that Kubernetes would still let succeed.
/// </summary>
public static class StartupBudget
{
    /// <summary>
    /// The admin site runs its migrations before gunicorn listens: after an import or a major upgrade that can take
    /// far longer than an ordinary restart.
    /// </summary>
    public const int Seconds = 1800;

    public const int ProbePeriodSeconds = 10;

    /// <summary>Scheduling, image pull and volume attach before the startup probe's window begins; and the end of a Job's deadline.</summary>
    public const int MarginSeconds = 600;

    /// <summary>How long the smoke check retries: the gateway's configuration settles seconds after the rollout, a certificate in minutes.</summary>
    public const int SmokeCheckSeconds = 300;

    /// <summary>The startup probe fails the container after exactly the budget.</summary>
    public static int ProbeFailureThreshold => Seconds / ProbePeriodSeconds;

    /// <summary>Pulumi's wait for the Deployment (create and update): the budget plus the margin.</summary>
    public static TimeSpan DeploymentTimeout => TimeSpan.FromSeconds(Seconds + MarginSeconds);

    /// <summary>The smoke-check Job's activeDeadlineSeconds: its retries, and room for one last answer.</summary>
    public static int SmokeCheckDeadlineSeconds => SmokeCheckSeconds + 60;

    /// <summary>Pulumi's wait for the smoke-check Job: its deadline plus the margin (for its pod to be scheduled and pull its image).</summary>
    public static TimeSpan SmokeCheckTimeout => TimeSpan.FromSeconds(SmokeCheckDeadlineSeconds + MarginSeconds);
}
