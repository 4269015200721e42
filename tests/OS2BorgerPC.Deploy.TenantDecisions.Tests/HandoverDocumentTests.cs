using System.Text.RegularExpressions;
using OS2BorgerPC.Deploy.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Municipalities;
using OS2BorgerPC.Deploy.TenantDecisions.Templates;
using OS2BorgerPC.Deploy.TenantDecisions.Tests.Support;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests;

/// <summary>The municipality's hand-over document: complete for every tenant, in Danish, and never with a secret.</summary>
public sealed partial class HandoverDocumentTests(TempRepository repository) : IClassFixture<TempRepository>
{
    public static TheoryData<string> ShippedStacks() => new(RepositoryRoot.Workspace().StackNames());

    public static TheoryData<int> MunicipalityCodes() => new(MunicipalityRegister.All.Select(m => m.Code));

    [Theory]
    [MemberData(nameof(ShippedStacks))]
    public void Every_shipped_stack_gets_a_complete_document(string stack) =>
        ShouldBeComplete(RepositoryRoot.Tenant(stack));

    [Theory]
    [MemberData(nameof(MunicipalityCodes))]
    public void Every_municipality_gets_a_complete_document(int code)
    {
        var stack = NewTenant.For(MunicipalityRegister.Find(code)!);

        ShouldBeComplete(repository.Open().Load(stack.RenderStackFile(), stack.Slug).ShouldBeValid());
    }

    [Fact]
    public void No_secret_reaches_the_document()
    {
        const string EmailPassword = "v1:Zm9vYmFyYmF6cXV4";
        var tenant = repository.Open().Load(StackFile.Kubernetes()
            .Set("tenant.email", "{host: smtp.aarhus.dk, port: 587, username: borgerpc, from: borgerpc@aarhus.dk, relayCidrs: [192.0.2.25/32]}")
            .Set("emailPassword", $"{{secure: '{EmailPassword}'}}")).ShouldBeValid();

        var document = HandoverDocument.Render(tenant);

        tenant.Email.ShouldNotBeNull().HasPassword.ShouldBeTrue();
        document.ShouldNotContain(EmailPassword);
        document.ShouldNotContain("secure:");
        // "password" only as a word in the prose, never followed by a value.
        PasswordValue().Matches(document).ShouldBeEmpty();
        document.ShouldContain("Adgangskoden står ikke i dette dokument.");
        document.ShouldContain($"pulumi stack output adminPassword --show-secrets --stack {tenant.Slug}");
    }

    [Fact]
    public void An_azure_tenant_mentions_the_managed_databases_own_backups_and_others_do_not()
    {
        var azure = repository.Open().Load(StackFile.Azure().Set("tenant.azure.backupRetentionDays", "21")).ShouldBeValid();

        HandoverDocument.Render(azure).ShouldContain("den administrerede database i Azure sine egne sikkerhedskopier, der gemmes i 21 dage");
        HandoverDocument.Render(repository.Open().Load(StackFile.Kubernetes()).ShouldBeValid()).ShouldNotContain("Azure");
    }

    [Theory]
    [InlineData("0 2 * * *", "hver nat kl. 02:00")]
    [InlineData("30 22 * * *", "hver dag kl. 22:30")]
    [InlineData("5 0 * * *", "hver nat kl. 00:05")]
    [InlineData("0 2 * * 1-5", "efter cron-udtrykket `0 2 * * 1-5`")]
    [InlineData("*/30 * * * *", "efter cron-udtrykket `*/30 * * * *`")]
    public void The_backup_schedule_reads_as_danish(string cron, string danish) =>
        HandoverDocument.Schedule(cron).ShouldBe(danish);

    private static void ShouldBeComplete(Tenant tenant)
    {
        var document = HandoverDocument.Render(tenant);

        foreach (var value in new[]
        {
            $"# Overdragelse: OS2BorgerPC admin-site for {tenant.DisplayName}",
            $"Adresse: {tenant.AdminUrl}",
            $"    {tenant.ClientAdminUrl}\n",
            $"XML-RPC på {tenant.XmlRpcUrl}",
            $"Brugernavn: {tenant.Admin.Username}",
            $"E-mail: {tenant.Admin.Email}",
            $"gemmes i {tenant.Backup.RetentionDays} dage",
            $"(tidszone {tenant.TimeZone})",
            $"version {tenant.Release.VersionText}",
            $"Versioner før {AdminSiteRelease.MinimumVersion.ToString(3)}",
            $"installationens navn: `{tenant.Slug}` ({tenant.Host})",
            string.Join(", ", tenant.ClientSourceRanges),
        })
        {
            document.ShouldContain(value, Case.Sensitive);
        }
        foreach (var danish in new[] { "## Sikkerhedskopier", "## Gendannelse", "## Version og opdateringer", "Skift den, første gang I logger ind" })
        {
            document.ShouldContain(danish);
        }
        // No placeholder left empty or unrendered.
        document.ShouldNotContain("{{");
        EmptyValue().Matches(document).ShouldBeEmpty();
        document.ShouldNotContain("``");
        document.ShouldNotContain("()");
    }

    /// <summary>A label or word followed by nothing: a field that rendered empty.</summary>
    [GeneratedRegex(@"(^- [^:\n]+:[ \t]*$|[ \t]+[.,;]|:[ \t]*\(|\bi  dage|kl\. [^0-9])", RegexOptions.Multiline)]
    private static partial Regex EmptyValue();

    [GeneratedRegex(@"(?i)pass(word)?\s*[:=]\s*\S")]
    private static partial Regex PasswordValue();
}
