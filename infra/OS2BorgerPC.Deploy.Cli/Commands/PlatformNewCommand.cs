using System.CommandLine;
using OS2BorgerPC.Deploy.PlatformDecisions.Configuration;
using OS2BorgerPC.Deploy.PlatformDecisions.Templates;
using OS2BorgerPC.Deploy.PlatformDecisions.Validation;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Naming;

namespace OS2BorgerPC.Deploy.Cli.Commands;

/// <summary><c>platform new</c>: renders a new, valid platform stack file from templates/platform-stack.yaml.scriban.</summary>
public static class PlatformNewCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var name = new Argument<string>("name") { Description = "The platform stack's name, e.g. prod (tenants name it organization/os2borgerpc-platform/<name>)." };
        var flavour = new Option<string>("--flavour") { Description = "azure (the platform makes the cluster) or cluster (an existing cluster).", DefaultValueFactory = _ => "azure" };
        flavour.AcceptOnlyFromAmong("azure", "cluster");
        var baseDomain = new Option<string>("--base-domain") { Description = "The fleet's DNS zone.", DefaultValueFactory = _ => "borgerpc.dk" };
        var issuerEmail = new Option<string>("--issuer-email") { Description = "Let's Encrypt account e-mail.", DefaultValueFactory = _ => "drift@borgerpc.dk" };
        var location = new Option<string>("--location") { Description = "Azure region (azure).", DefaultValueFactory = _ => "westeurope" };
        var repository = new Option<string>("--github-repository") { Description = "owner/name of the repository whose workflows deploy (azure).", DefaultValueFactory = _ => "os2borgerpc/os2borgerpc-deploy" };
        var operatorGroup = new Option<string?>("--operator-group") { Description = "Object ID of the operators' Entra ID group (azure): the cluster's administrators and the state key's crypto officers." };
        var kubeContext = new Option<string?>("--context") { Description = "kubeconfig context of the existing cluster (cluster)." };
        var dataProvisioner = new Option<string?>("--data-provisioner") { Description = "CSI driver of the ReadWriteOnce class (cluster), e.g. rbd.csi.ceph.com." };
        var sharedProvisioner = new Option<string?>("--shared-provisioner") { Description = "CSI driver of the ReadWriteMany class for /media (cluster), e.g. nfs.csi.k8s.io." };
        var backupEndpoint = new Option<string?>("--backup-endpoint") { Description = "https endpoint of the S3-compatible backup target (cluster)." };
        var backupBucket = new Option<string>("--backup-bucket") { Description = "Bucket of the backup target (cluster).", DefaultValueFactory = _ => "os2borgerpc-backups" };
        var apiServerCidrs = new Option<string[]>("--api-server-cidr") { Description = "Address range of the API server's endpoint as pods reach it (cluster; repeat for each), e.g. 10.20.0.10/32.", AllowMultipleArgumentsPerToken = true };
        var apiServerPort = new Option<int>("--api-server-port") { Description = "Port of the API server's endpoint (cluster).", DefaultValueFactory = _ => 6443 };
        var command = new Command("new", "Write stacks/platform/Pulumi.<name>.yaml for a new platform, validated, never overwriting a file.")
        {
            name, flavour, baseDomain, issuerEmail, location, repository, operatorGroup, kubeContext, dataProvisioner, sharedProvisioner, backupEndpoint, backupBucket,
            apiServerCidrs, apiServerPort,
        };
        command.SetAction(parse => context(parse).InPlatforms(platforms =>
        {
            var output = context(parse).Output;
            var stack = parse.GetRequiredValue(name);
            if (!Slug.IsValid(stack))
            {
                output.Error($"'{stack}' is not a valid platform name. Use {Slug.Rule}.");
                return CliContext.Failure;
            }
            var path = platforms.StackFilePath(stack);
            var file = platforms.Display(path);
            if (File.Exists(path))
            {
                output.Error($"{file} exists already; nothing was changed. Edit it, or choose another name.");
                return CliContext.Failure;
            }
            var yaml = new NewPlatform
            {
                Name = stack,
                Flavour = parse.GetRequiredValue(flavour),
                BaseDomain = parse.GetRequiredValue(baseDomain),
                IssuerEmail = parse.GetRequiredValue(issuerEmail),
                Location = parse.GetRequiredValue(location),
                GithubRepository = parse.GetRequiredValue(repository),
                OperatorGroupObjectId = parse.GetValue(operatorGroup) ?? "",
                Context = parse.GetValue(kubeContext) ?? "",
                DataProvisioner = parse.GetValue(dataProvisioner) ?? "",
                SharedProvisioner = parse.GetValue(sharedProvisioner) ?? "",
                BackupEndpoint = parse.GetValue(backupEndpoint) ?? "",
                BackupBucket = parse.GetRequiredValue(backupBucket),
                ApiServerCidrs = parse.GetValue(apiServerCidrs) ?? [],
                ApiServerPort = parse.GetRequiredValue(apiServerPort),
            }.RenderStackFile();
            var result = PlatformLoader.Load(platforms.Project.ReadStackText(stack, yaml));
            if (result.Platform is not { } platform)
            {
                output.Problems(result.Problems);
                return CliContext.Failure;
            }
            Directory.CreateDirectory(platforms.Project.StackConfigDir);
            File.WriteAllText(path, yaml);
            var flavourName = PlatformLoader.Name(platform.Flavour);
            output.Line($"Wrote {file}: {("aeiou".Contains(flavourName[0]) ? "an" : "a")} {flavourName} platform for *.{platform.BaseDomain}.");
            output.Line();
            output.Line("Next steps (docs/FROM-ZERO.md):");
            output.Line($"  1. Review {file}; the address plan and location cannot change after the first deployment.");
            output.Line($"  2. pulumi up --stack {stack} --cwd {PlatformWorkspace.ProjectFolder}");
            output.Line($"  3. Tenants use it with platformStack in Pulumi.yaml, or platform.stack: organization/{PlatformReference.ProjectName}/{stack}.");
            return CliContext.Success;
        }));
        return command;
    }
}
