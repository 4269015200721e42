using Pulumi;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;

namespace OS2BorgerPC.Deploy.TenantProgram.Contracts;

/// <summary>
/// Where /media and the backups live, as pod volumes: claims in the cluster or Azure Files shares.
/// The admin site and the backup job mount them without knowing which.
/// </summary>
/// <param name="Media">The /media volume (uploads the BorgerPCs download).</param>
/// <param name="Backups">Where nightly dumps and media archives go.</param>
/// <param name="Ready">Resolve when the volumes exist.</param>
public sealed record TenantVolumes(Func<string, VolumeArgs> Media, Func<string, VolumeArgs> Backups, IReadOnlyList<Resource> Ready);
