using OS2BorgerPC.Deploy.TenantDecisions.Backup;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;

namespace OS2BorgerPC.Deploy.TenantDecisions.Platform;

/// <summary>One image a tenant runs: what it is upstream, where its pods pull it from, and where its reference is configured.</summary>
public sealed record PulledImage(string Upstream, string PullPath, string File, string Key);

/// <summary>
/// The images a tenant's pods run, as its platform has them pulled (<see cref="PlatformFacts.Images"/>): through the
/// platform's registry or mirror, by digest where the platform requires digests. Decided before anything is provisioned.
/// </summary>
public sealed record TenantImages(PulledImage AdminSite, PulledImage Postgres, PulledImage MediaServer, PulledImage Curl, PulledImage Restic, PulledImage DatabaseOperand)
{
    /// <summary>Where the kit's pinned images are configured (Renovate's regex manager keeps their tags and digests).</summary>
    public const string KitImagesFile = "infra/OS2BorgerPC.Deploy.TenantDecisions/Model/Runtime.cs";
    public const string OperandImageFile = "infra/OS2BorgerPC.Deploy.TenantDecisions/Backup/CloudNativePg.cs";

    /// <summary>Every image, the admin site first.</summary>
    public IReadOnlyList<PulledImage> All => [AdminSite, Postgres, MediaServer, Curl, Restic, DatabaseOperand];

    /// <summary>The tenant's images on its platform, or every problem that keeps one from being pulled (never a partial set).</summary>
    /// <param name="stackFile">The tenant's stack file, which configures the admin-site release.</param>
    public static (TenantImages? Images, IReadOnlyList<Problem> Problems) For(Tenant tenant, ImageMirror? mirror, string stackFile)
    {
        // A platform from before this fact: images come from their own registries, as before.
        mirror ??= new ImageMirror(null, false, []);
        var problems = new List<Problem>();
        PulledImage Pull(string image, string file, string key)
        {
            var (path, problem) = mirror.PullPath(image, file, key);
            if (problem is not null)
            {
                problems.Add(problem);
            }
            return new PulledImage(image, path ?? image, file, key);
        }
        var images = new TenantImages(
            Pull(tenant.Release.Image, stackFile, "os2borgerpc:tenant.adminSite.version"),
            Pull(Images.Postgres, KitImagesFile, "Images.Postgres"),
            Pull(Images.MediaServer, KitImagesFile, "Images.MediaServer"),
            Pull(Images.Curl, KitImagesFile, "Images.Curl"),
            Pull(Images.Restic, KitImagesFile, "Images.Restic"),
            Pull(CloudNativePg.PostgresImage, OperandImageFile, "CloudNativePg.PostgresImage"));
        return problems.Count == 0 ? (images, []) : (null, problems);
    }
}
