using System.Text.Json.Serialization;
using k8s.Models;

namespace OS2BorgerPC.Deploy.TenantDecisions.Fleet;

// The few fields fleet status reads of the custom resources it lists, as the API serves them
// (cert-manager.io/v1 Certificate; postgresql.cnpg.io/v1 Cluster and Backup, field names as in
// https://cloudnative-pg.io/documentation/1.27/cloudnative-pg.v1/). Deserialized by KubernetesJson, as the
// client's generic list call does.

/// <summary>A list of custom resources as the API serves it (<c>{"kind": "...List", "items": [...]}</c>).</summary>
public sealed class CustomResourceList<T>
{
    [JsonPropertyName("items")]
    public IList<T>? Items { get; set; }
}

/// <summary>A cert-manager Certificate: when its issued certificate expires.</summary>
public sealed class CertificateResource : IMetadata<V1ObjectMeta>
{
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("status")]
    public CertificateStatus? Status { get; set; }
}

public sealed class CertificateStatus
{
    /// <summary>The issued certificate's expiry; absent until one is issued.</summary>
    [JsonPropertyName("notAfter")]
    public DateTime? NotAfter { get; set; }
}

/// <summary>A CloudNativePG Cluster: whether the namespace has one, and its conditions (<c>ContinuousArchiving</c>).</summary>
public sealed class CnpgClusterResource : IMetadata<V1ObjectMeta>
{
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("status")]
    public CnpgClusterStatus? Status { get; set; }
}

public sealed class CnpgClusterStatus
{
    /// <summary>The Cluster's conditions (metav1.Condition): <c>Ready</c>, <c>ContinuousArchiving</c>, ...</summary>
    [JsonPropertyName("conditions")]
    public IList<V1Condition>? Conditions { get; set; }
}

/// <summary>A CloudNativePG Backup: its phase and when it stopped.</summary>
public sealed class CnpgBackupResource : IMetadata<V1ObjectMeta>
{
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("status")]
    public CnpgBackupStatus? Status { get; set; }
}

public sealed class CnpgBackupStatus
{
    /// <summary>CloudNativePG's phase, e.g. <c>running</c>, <c>completed</c>, <c>failed</c>.</summary>
    [JsonPropertyName("phase")]
    public string? Phase { get; set; }

    [JsonPropertyName("stoppedAt")]
    public DateTime? StoppedAt { get; set; }
}
