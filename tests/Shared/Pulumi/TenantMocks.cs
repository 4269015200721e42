global using OS2BorgerPC.Deploy.Infra.Rendering;

namespace OS2BorgerPC.Deploy.Testing;

/// <summary>
/// Engine mocks whose generated passwords get a recognisable fake value, so tests can hunt for it in
/// plain-text places. Every registration is recorded, providers included.
/// </summary>
internal sealed class TenantMocks() : RecordingMocks(name => FakeSecretPrefix + name, DelegatedSubnetCidr)
{
    public const string FakeSecretPrefix = "fake-secret-";

    public const string DelegatedSubnetCidr = "10.240.8.0/24";
}
