using OS2BorgerPC.Deploy.Infra.Contracts;
using OS2BorgerPC.Deploy.Infra.Kubernetes;
using OS2BorgerPC.Deploy.Tenants.Naming;
using Pulumi;
using Pulumi.Kubernetes.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;
using Pulumi.Random;

namespace OS2BorgerPC.Deploy.Infra.Components;

/// <summary>
/// The admin site's secrets: generated with Pulumi.Random (database password, Django SECRET_KEY,
/// bootstrap admin password) plus the operator's e-mail password, kept in one Kubernetes Secret that
/// pods reference by key. Nothing here is ever a plain value in state, env or output.
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
        // Letters and digits only: the password travels through env vars, URLs and shell scripts unquoted.
        // Marked secret here, not only by the provider: no path may carry them in plain text.
        DatabasePassword = Output.CreateSecret(new RandomPassword("database-password", new RandomPasswordArgs { Length = 32, Special = false }, child).Result);
        var secretKey = Output.CreateSecret(new RandomPassword("django-secret-key", new RandomPasswordArgs
        {
            Length = 64,
            Special = true,
            OverrideSpecial = "!#%()*+-.:;<=>?@[]^_{|}~",
        }, child).Result);
        AdminPassword = Output.CreateSecret(new RandomPassword("admin-password", new RandomPasswordArgs { Length = 24, Special = false }, child).Result);

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

    /// <summary>The database login's password (secret); the database component sets it on its server.</summary>
    public Output<string> DatabasePassword { get; }

    /// <summary>The bootstrap admin's password (secret), for the stack output.</summary>
    public Output<string> AdminPassword { get; }

    public SecretKey DatabasePasswordRef { get; }
    public SecretKey DjangoSecretKeyRef { get; }
    public SecretKey AdminPasswordRef { get; }
    public SecretKey? EmailPasswordRef { get; }
}
