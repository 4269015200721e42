using System.Collections.Immutable;
using System.Text.Json;
using OS2BorgerPC.Deploy.FoundationProgram.Components;
using OS2BorgerPC.Deploy.FoundationProgram.Configuration;
using OS2BorgerPC.Deploy.PlatformDecisions.Decisions;
using OS2BorgerPC.Deploy.PlatformDecisions.Model;
using OS2BorgerPC.Deploy.PlatformProgram;
using OS2BorgerPC.Deploy.PlatformProgram.Azure;
using OS2BorgerPC.Deploy.PlatformProgram.Configuration;
using OS2BorgerPC.Deploy.TenantDecisions.Validation;
using Pulumi;
using Pulumi.Azure.Core;
using AzureProgram = OS2BorgerPC.Deploy.TenantDecisions.Security.AzureProgram;

namespace OS2BorgerPC.Deploy.FoundationProgram;

/// <summary>
/// One foundation stack: what an operator's <c>pulumi up --stack &lt;platform&gt;</c> in infra/OS2BorgerPC.Deploy.FoundationProgram
/// provisions for the azure platform stack of the same name. Everything no CI identity may change: the platform's and the
/// foundation's resource groups, the state account and secrets key, the backup account, the tenants' groups, the custom roles,
/// the CI identities and their grants outside the platform's group. Its <see cref="FoundationOutputs"/> are what the platform
/// program reads through a StackReference.
/// </summary>
public class FoundationStack : Stack
{
    public FoundationStack()
        : this(null, stack => FoundationConfig.Load(PlatformTenants.RepositoryRoot(Directory.GetCurrentDirectory()), stack))
    {
    }

    /// <param name="options">Stack options; tests observe the resource options through a transformation here.</param>
    /// <param name="load">The platform of a stack name (tests give it a platform file of their own).</param>
    protected FoundationStack(StackOptions? options, Func<string, (PlatformSettings? Platform, IReadOnlyList<Problem> Problems)> load)
        : base(options)
    {
        var stack = Pulumi.Deployment.Instance.StackName;
        var (loaded, problems) = load(stack);
        // RunException: Pulumi prints the message without a stack trace; nothing is provisioned.
        var platform = loaded ?? throw new RunException(Problem.Refusal($"The platform of foundation stack '{stack}'", problems));
        CiGrants.RefuseBrokenDecisions();
        var azure = platform.Azure!;
        var names = platform.Names;
        // The one program that registers resource providers (a subscription-scoped write): AzureProviderSettings.
        var azureProvider = AzureProviders.AzureProvider.Create(AzureProgram.Foundation);
        var inAzure = new ComponentResourceOptions { Providers = { azureProvider } };
        var client = GetClientConfig.Invoke(new InvokeOptions { Provider = azureProvider });
        var subscription = client.Apply(c => $"/subscriptions/{c.SubscriptionId}");
        ResourceGroup Group(string resourceName, string groupName) => new(resourceName, new ResourceGroupArgs
        {
            Name = groupName,
            Location = azure.Location,
            Tags = AzureTags.For(names),
        }, new CustomResourceOptions { Protect = true, RetainOnDelete = true, Provider = azureProvider });
        // The platform's group: the platform identity's Contributor stops at it. The foundation's: no CI identity writes there.
        var platformGroup = Group("platform", names.ResourceGroup);
        var foundationGroup = Group("foundation", names.FoundationResourceGroup);
        SecureStorage.DeleteLock("foundation-lock", foundationGroup.Id, "The fleet's state, secrets key and CI identities.", foundationGroup);
        var state = new StateBackend(platform, foundationGroup, client, inAzure);
        var backup = new BackupStorage(platform, inAzure);
        var tenantGroups = new TenantResourceGroups(platform, PulumiPlatformConfig.Tenants(platform), inAzure);
        var roles = new CustomRoles(platform, subscription, platformGroup, inAzure);
        var ci = new CiIdentities(platform, foundationGroup, platformGroup, subscription, state, backup, tenantGroups, roles, inAzure);

        PlatformFoundation = Output.Tuple(platformGroup.Id, backup.AccountId, Sorted(ci.PrincipalIds), Sorted(roles.Ids), Sorted(tenantGroups.Ids))
            .Apply(t => JsonDocument.Parse(new FoundationOutputs(names.ResourceGroup, t.Item1, t.Item2, t.Item3, t.Item4, t.Item5).ToJson()).RootElement.Clone());
        StateBackendUrl = state.BackendUrl;
        SecretsProvider = state.SecretsProvider;
        CiClientIds = Output.All(ci.ClientIds.Select(p => p.Value.Apply(id => KeyValuePair.Create(p.Key, id)))).Apply(ids => ids.ToImmutableDictionary());
    }

    private static Output<ImmutableSortedDictionary<string, string>> Sorted(IReadOnlyDictionary<string, Output<string>> values) =>
        Output.All(values.Select(p => p.Value.Apply(v => KeyValuePair.Create(p.Key, v)))).Apply(pairs => pairs.ToImmutableSortedDictionary());

    /// <summary>What the platform stack of the same name reads (<see cref="FoundationOutputs.OutputName"/>).</summary>
    [Output(FoundationOutputs.OutputName)]
    public Output<JsonElement> PlatformFoundation { get; private set; }

    /// <summary>pulumi login URL of the fleet's state.</summary>
    [Output("stateBackend")]
    public Output<string> StateBackendUrl { get; private set; }

    /// <summary>--secrets-provider of every stack.</summary>
    [Output("secretsProvider")]
    public Output<string> SecretsProvider { get; private set; }

    /// <summary>AZURE_CLIENT_ID per GitHub environment.</summary>
    [Output("ciClientIds")]
    public Output<ImmutableDictionary<string, string>> CiClientIds { get; private set; }
}
