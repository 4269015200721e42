using OS2BorgerPC.Deploy.TenantProgram.Contracts;
using OS2BorgerPC.Deploy.TenantProgram.Kubernetes;
using OS2BorgerPC.Deploy.TenantDecisions.Naming;
using OS2BorgerPC.Deploy.TenantDecisions.Security;
using Pulumi;
using Pulumi.Kubernetes.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;
using Pulumi.Random;

namespace OS2BorgerPC.Deploy.TenantProgram.Components;

/// <summary>
/// The admin site's secrets: generated with Pulumi.Random as <see cref="PasswordPolicy"/> says (the app login's
/// database password, Django SECRET_KEY, bootstrap admin password) plus the operator's e-mail password, kept in
/// one Kubernetes Secret that pods reference by key. Nothing here is ever a plain value in state, env or output.
/// An Azure server's administrator password is not here: it stays in the stack (<see cref="AzureDatabase"/>).
/// </summary>
public sealed class TenantSecrets : ComponentResource
{
    public const string SecretName = TenantObjects.AppSecret;
    public const string DatabasePasswordKey = TenantObjects.DatabasePasswordKey;
    public const string DjangoSecretKeyKey = "secret-key";
    public const string AdminPasswordKey = "admin-password";
    public const string EmailPasswordKey = "email-password";

    public TenantSecrets(TenantScope scope, Output<string>? emailPassword, ComponentResourceOptions? options = null)
        : base("os2borgerpc:kubernetes:TenantSecrets", scope.Tenant.Slug, options)
    {
        var child = new CustomResourceOptions { Parent = this };
        // The app's login: in the cluster the server's app login, on Azure the app's own role (never the server's administrator).
        DatabasePassword = Generate("database-password", PasswordPolicy.Database, this);
        var secretKey = Generate("django-secret-key", PasswordPolicy.DjangoSecretKey, this);
        AdminPassword = Generate("admin-password", PasswordPolicy.BootstrapAdmin, this);

        var data = new InputMap<string>
        {
            { DatabasePasswordKey, DatabasePassword },
            { DjangoSecretKeyKey, secretKey },
            { AdminPasswordKey, AdminPassword },
        };
        if (emailPassword is not null)
        {
            data.Add(EmailPasswordKey, Output.CreateSecret(emailPassword));
        }
        var secret = new Secret("admin-site", new SecretArgs
        {
            Metadata = scope.Meta(SecretName),
            Type = "Opaque",
            StringData = data,
        }, child);
        var name = secret.Metadata.Apply(m => m.Name);
        DatabasePasswordRef = new SecretKey(name, DatabasePasswordKey);
        DjangoSecretKeyRef = new SecretKey(name, DjangoSecretKeyKey);
        AdminPasswordRef = new SecretKey(name, AdminPasswordKey);
        EmailPasswordRef = emailPassword is null ? null : new SecretKey(name, EmailPasswordKey);

        RegisterOutputs(new Dictionary<string, object?> { ["secretName"] = name });
    }

    /// <summary>The properties of a <see cref="RandomPassword"/> whose change would replace the password.</summary>
    internal static readonly string[] GeneratorProperties =
        ["length", "special", "upper", "lower", "numeric", "minUpper", "minLower", "minNumeric", "minSpecial", "overrideSpecial"];

    /// <summary>
    /// A password generated as <paramref name="rule"/> says, marked secret here and not only by the provider: no path
    /// may carry it in plain text. A stack made before the rule keeps its password (a new one would lock the app out
    /// of an in-cluster server, which takes its password once, at initialisation).
    /// </summary>
    internal static Output<string> Generate(string name, PasswordRule rule, Resource parent) =>
        Output.CreateSecret(new RandomPassword(name, new RandomPasswordArgs
        {
            Length = rule.Length,
            MinUpper = rule.MinUpper,
            MinLower = rule.MinLower,
            MinNumeric = rule.MinNumeric,
            Special = rule.UsesSpecial,
            OverrideSpecial = rule.Special,
            MinSpecial = rule.MinSpecial,
        }, new CustomResourceOptions { Parent = parent, IgnoreChanges = [.. GeneratorProperties] }).Result);

    /// <summary>The app login's password (secret), in the app's Secret; never an Azure server's administrator password.</summary>
    public Output<string> DatabasePassword { get; }

    /// <summary>The bootstrap admin's password (secret), for the stack output.</summary>
    public Output<string> AdminPassword { get; }

    public SecretKey DatabasePasswordRef { get; }
    public SecretKey DjangoSecretKeyRef { get; }
    public SecretKey AdminPasswordRef { get; }
    public SecretKey? EmailPasswordRef { get; }
}
