using OS2BorgerPC.Deploy.TenantProgram.Tests.Testing;
using OS2BorgerPC.Deploy.TenantDecisions.Model;
using OS2BorgerPC.Deploy.TenantDecisions.Rendering;
using Pulumi.Kubernetes.Apps.V1;
using Pulumi.Kubernetes.Batch.V1;
using Pulumi.Kubernetes.Core.V1;
using Pulumi.Kubernetes.Networking.V1;
using PodSpec = Pulumi.Kubernetes.Types.Outputs.Core.V1.PodSpec;
using Deployment = Pulumi.Kubernetes.Apps.V1.Deployment;

namespace OS2BorgerPC.Deploy.TenantProgram.Tests;

/// <summary>The shipped demo stack (hosting kubernetes) under mocks: what one tenant gets, and how it is wired.</summary>
[Collection(PulumiCollection.Name)]
public sealed class KubernetesTenantTests
{
    private const string Namespace = "os2borgerpc-demo";

    [Fact]
    public async Task Every_part_of_a_tenant_is_provisioned_in_its_namespace()
    {
        var run = await StackHarness.RunShipped("demo");

        run.Resources.OfType<Namespace>().ShouldHaveSingleItem();
        run.Resources.OfType<Deployment>().Select(d => d.GetResourceName()).ShouldBe(["admin-site"]);
        run.Resources.OfType<StatefulSet>().ShouldBeEmpty();
        run.Resources.OfType<Kubernetes.CloudNativePg.Cluster>().Select(d => d.GetResourceName()).ShouldBe(["database"]);
        run.Resources.OfType<CronJob>().Select(c => c.GetResourceName()).Order()
            .ShouldBe(["backup", "check-notifications", "clean-up-database"]);
        // Nothing uses a backups claim: a tenant without storage.retiredBackupsClaim gets none.
        run.Resources.OfType<PersistentVolumeClaim>().Select(c => c.GetResourceName()).ShouldBe(["media"]);
        run.Resources.OfType<Ingress>().ShouldBeEmpty("traffic enters through the platform's Gateway, not an Ingress");
        run.OfType(RegisteredObjects.HttpRoute).Count().ShouldBe(2);
        run.OfType(RegisteredObjects.SecurityPolicy).ShouldHaveSingleItem();
        run.Resources.OfType<ResourceQuota>().Select(q => q.GetResourceName()).Order().ShouldBe(["tenant-jobs", "tenant-long-running", "tenant-storage"]);
        run.Resources.OfType<LimitRange>().ShouldHaveSingleItem();
        run.Resources.OfType<ServiceAccount>().Select(a => a.GetResourceName()).Order().ShouldBe(["backup-service-account", "service-account"]);

        foreach (var registered in run.KubernetesObjects)
        {
            var metadata = (IDictionary<string, object>)registered.Inputs["metadata"];
            var labels = (IDictionary<string, object>)metadata["labels"];
            labels["os2borgerpc.dk/tenant"].ShouldBe("demo", registered.Name);
            if (registered.Type != "kubernetes:core/v1:Namespace")
            {
                metadata["namespace"].ShouldBe(Namespace, registered.Name);
            }
        }
    }

    [Fact]
    public async Task The_namespace_enforces_the_restricted_pod_security_standard_and_a_quota()
    {
        var run = await StackHarness.RunShipped("demo");

        var ns = await run.Resources.OfType<Namespace>().Single().Metadata.Value();
        ns.Name.ShouldBe(Namespace);
        ns.Labels["pod-security.kubernetes.io/enforce"].ShouldBe("restricted");
        var longRunning = await run.Single<ResourceQuota>("tenant-long-running").Spec.Value();
        longRunning.Scopes.ShouldBe(["NotTerminating"]);
        // With the Barman Cloud plugin's sidecar in each of the three database pods (500m each).
        (longRunning.Hard["pods"], longRunning.Hard["limits.cpu"]).ShouldBe(("5", "7"));
        var jobs = await run.Single<ResourceQuota>("tenant-jobs").Spec.Value();
        jobs.Scopes.ShouldBe(["Terminating"]);
        (jobs.Hard["pods"], jobs.Hard["limits.cpu"]).ShouldBe(("5", "2500m"));
        var storage = await run.Single<ResourceQuota>("tenant-storage").Spec.Value();
        storage.Scopes.IsDefaultOrEmpty.ShouldBeTrue();
        (storage.Hard["requests.storage"], storage.Hard["persistentvolumeclaims"]).ShouldBe(("60Gi", "4"));
        var account = run.Single<ServiceAccount>("service-account");
        (await account.AutomountServiceAccountToken.Value()).ShouldBe(false);
    }

    /// <summary>aarhus runs the program's own Jobs too (the smoke check, the Azure app role): a real control plane refused their pods under the app's quota.</summary>
    [Theory]
    [InlineData("demo")]
    [InlineData("aarhus")]
    public async Task Job_pods_carry_their_own_deadline_and_the_apps_do_not_so_each_lands_in_its_quota(string stack)
    {
        var run = await StackHarness.RunShipped(stack);

        foreach (var (owner, pod) in await Pods(run))
        {
            // Only a pod's own activeDeadlineSeconds makes it Terminating; the Job's is not copied into its pods.
            // (The SDK's output reads an unset deadline as 0.)
            if (owner.StartsWith("CronJob", StringComparison.Ordinal))
            {
                pod.ActiveDeadlineSeconds.ShouldBe(JobLimits.DeadlineSeconds, owner);
            }
            else if (owner.StartsWith("Job", StringComparison.Ordinal))
            {
                pod.ActiveDeadlineSeconds.ShouldBeGreaterThan(0, owner);
            }
            else
            {
                pod.ActiveDeadlineSeconds.ShouldBe(0, owner);
            }
            // No pod waits on the app being up (a rollback scales it to 0): /media is ReadWriteMany.
            pod.Affinity.ShouldBeNull(owner);
        }
    }

    [Fact]
    public async Task Every_pod_passes_the_restricted_profile()
    {
        var run = await StackHarness.RunShipped("demo");

        foreach (var (owner, pod) in await Pods(run))
        {
            pod.SecurityContext.RunAsNonRoot.ShouldBe(true, owner);
            pod.SecurityContext.SeccompProfile.Type.ShouldBe("RuntimeDefault", owner);
            pod.AutomountServiceAccountToken.ShouldBe(false, owner);
            // The backup has an identity of its own (workload identity on an azureBlob target); everything else the tenant's.
            pod.ServiceAccountName.ShouldBe(owner == "CronJob backup" ? "os2borgerpc-backup" : "os2borgerpc", owner);
            pod.HostNetwork.ShouldNotBe(true, owner);
            foreach (var container in pod.Containers)
            {
                var where = $"{owner}/{container.Name}";
                container.SecurityContext.AllowPrivilegeEscalation.ShouldBe(false, where);
                container.SecurityContext.Privileged.ShouldBe(false, where);
                container.SecurityContext.Capabilities.Drop.ShouldBe(["ALL"], where);
                container.SecurityContext.RunAsNonRoot.ShouldBe(true, where);
                container.Resources.Limits.Keys.ShouldBe(["cpu", "memory"], ignoreOrder: true, where);
            }
        }
    }

    /// <summary>
    /// kubectl scale (tenant restore --keep-stopped, or by hand) takes spec.replicas over through the scale subresource
    /// (Kubernetes, Server-Side Apply: "whenever a field's value does change, ownership moves ... to the manager making
    /// the change"); an unforced apply of replicas 1 is then a conflict (pulumi-kubernetes v4.32.0 await.go handleSSAErr).
    /// The annotation makes pulumi-kubernetes force its applies of this Deployment (await.go patchForce).
    /// </summary>
    [Fact]
    public async Task The_admin_site_is_applied_with_force_so_pulumi_up_takes_back_replicas_after_a_scale_by_kubectl()
    {
        var run = await StackHarness.RunShipped("demo");

        var metadata = await run.Single<Deployment>("admin-site").Metadata.Value();

        metadata.Annotations.ShouldContainKeyAndValue("pulumi.com/patchForce", "true");
    }

    [Fact]
    public async Task The_admin_site_runs_one_replica_as_uid_1000_with_media_and_probes_that_pass_allowed_hosts()
    {
        var run = await StackHarness.RunShipped("demo");

        var spec = await run.Single<Deployment>("admin-site").Spec.Value();
        spec.Replicas.ShouldBe(1);
        spec.Strategy.Type.ShouldBe("Recreate");
        var pod = spec.Template.Spec;
        pod.SecurityContext.RunAsUser.ShouldBe(1000);
        pod.SecurityContext.FsGroup.ShouldBe(1000);
        var app = pod.Containers.Single(c => c.Name == "admin-site");
        app.Image.ShouldBe("ghcr.io/os2borgerpc/os2borgerpc-admin-site:7.1.0");
        app.VolumeMounts.ShouldContain(m => m.Name == "media" && m.MountPath == "/media");
        app.ReadinessProbe.HttpGet.Path.ShouldBe("/accounts/login/");
        app.ReadinessProbe.HttpGet.HttpHeaders.ShouldHaveSingleItem().Value.ShouldBe("demo.borgerpc.test");
        var media = pod.Containers.Single(c => c.Name == "media-server");
        media.VolumeMounts.ShouldContain(m => m.Name == "media" && m.MountPath == "/media" && m.ReadOnly == true);
        pod.Volumes.Single(v => v.Name == "media").PersistentVolumeClaim.ClaimName.ShouldBe("media");
    }

    [Fact]
    public async Task The_app_gets_every_required_variable_and_secrets_only_by_reference()
    {
        var run = await StackHarness.RunShipped("demo");

        var app = (await run.Single<Deployment>("admin-site").Spec.Value()).Template.Spec.Containers.Single(c => c.Name == "admin-site");
        var env = app.Env.ToDictionary(e => e.Name);
        string[] required =
        [
            "DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_PASSWORD", "SECRET_KEY", "TIME_ZONE", "LANGUAGE_CODE",
            "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "USE_X_FORWARDED_HOST", "SECURE_PROXY_SSL_HEADER",
            "ADMIN_USERNAME", "ADMIN_EMAIL", "ADMIN_PASSWORD", "CORE_SCRIPT_VERSION_TAG", "CORE_SCRIPT_COMMIT_HASH",
            "GUNICORN_CMD_ARGS", "SERVER_EMAIL",
        ];
        required.ShouldBeSubsetOf(env.Keys);
        foreach (var secret in new[] { "DB_PASSWORD", "SECRET_KEY", "ADMIN_PASSWORD" })
        {
            env[secret].Value.ShouldBeNull(secret);
            env[secret].ValueFrom.SecretKeyRef.Name.ShouldBe("admin-site", secret);
        }
        env["DB_HOST"].Value.ShouldBe("database-rw");
        env["ALLOWED_HOSTS"].Value.ShouldBe("demo.borgerpc.test");
        env["CSRF_TRUSTED_ORIGINS"].Value.ShouldBe("https://demo.borgerpc.test");
        env["GUNICORN_CMD_ARGS"].Value.ShouldBe("--workers=3 --timeout=300");
        env.ShouldNotContainKey("DEBUG");
        env.ShouldNotContainKey("CITIZEN_LOGIN_API_VALIDATOR");
    }

    [Fact]
    public async Task The_generated_secrets_are_in_one_secret_and_every_secret_output_is_secret()
    {
        var run = await StackHarness.RunShipped("demo");

        // The mocks drop the provider's own secret marking of Secret data, so the values are checked at their source.
        var secrets = run.Resources.OfType<Components.TenantSecrets>().Single();
        (await secrets.DatabasePassword.IsSecret()).ShouldBeTrue();
        (await secrets.AdminPassword.IsSecret()).ShouldBeTrue();
        var data = await run.Single<Secret>("admin-site").StringData.Value();
        data.Keys.ShouldBe(["admin-password", "db-password", "secret-key"], ignoreOrder: true);
        data["db-password"].ShouldBe(TenantMocks.FakeSecretPrefix + "database-password");

        var stack = run.Resources.OfType<TenantStack>().Single();
        (await stack.AdminPassword.IsSecret()).ShouldBeTrue();
        (await stack.AdminPassword.Value()).ShouldBe(TenantMocks.FakeSecretPrefix + "admin-password");
        (await stack.AdminUrl.Value()).ShouldBe("https://demo.borgerpc.test/");
        (await stack.XmlRpcUrl.Value()).ShouldBe("https://demo.borgerpc.test/admin-xml/");
        (await stack.Namespace.Value()).ShouldBe(Namespace);
        (await stack.AdminUsername.Value()).ShouldBe("admin");
    }

    [Fact]
    public async Task Data_is_protected_and_retained()
    {
        var run = await StackHarness.RunShipped("demo");

        foreach (var (type, name) in new[]
        {
            ("kubernetes:core/v1:PersistentVolumeClaim", "media"),
            ("kubernetes:postgresql.cnpg.io/v1:Cluster", "database"),
            ("kubernetes:core/v1:Secret", "backup-repository"),
            ("kubernetes:core/v1:Namespace", "namespace"),
        })
        {
            var options = run.OptionsOf(type, name);
            options.Protect.ShouldBeTrue(name);
            options.RetainOnDelete.ShouldBeTrue(name);
        }
        run.OptionsOf("kubernetes:apps/v1:Deployment", "admin-site").Protect.ShouldBeFalse("the app itself is replaceable");
    }

    /// <summary>
    /// The retired backups claim (nothing mounts it: nightly backups go off-site, an import stages on a claim of its
    /// own) stays only for a tenant whose file says it still has one, until the operator has emptied it and removes the
    /// key. The Pulumi engine refuses to delete a resource whose state says protected, in a preview as in an up (the
    /// check comes before the preview branch: "resource ... cannot be deleted because it is protected"), and for one
    /// whose state says retainOnDelete it deletes nothing in the cluster, only forgets it (pulumi/pulumi v3.112.0 and
    /// v3.259.0, pkg/resource/deploy/step.go, DeleteStep.Apply: deleteProtectedError on s.old.Protect; no provider
    /// Delete when s.old.RetainOnDelete). Both read the old state: a tenant deployed before (state: protected) whose
    /// file lacks the key stops at that refusal with nothing deleted, one with the key records "unprotected, retained",
    /// and removing the key later makes Pulumi forget the claim while the claim and any data stay.
    /// </summary>
    [Fact]
    public async Task A_tenant_that_still_has_the_backups_claim_keeps_it_unprotected_retained_and_mounted_by_nothing()
    {
        var run = await StackHarness.RunShippedWithRetiredBackupsClaim("demo");

        run.Resources.OfType<PersistentVolumeClaim>().Select(c => c.GetResourceName()).Order().ShouldBe(["backups", "media"]);
        var options = run.OptionsOf("kubernetes:core/v1:PersistentVolumeClaim", "backups");
        options.Protect.ShouldBeFalse();
        options.RetainOnDelete.ShouldBeTrue();
        var spec = (IDictionary<string, object>)run.InputsOf("kubernetes:core/v1:PersistentVolumeClaim", "backups").Inputs["spec"];
        spec["storageClassName"].ShouldBe(StackHarness.PlatformOf("demo").StorageClasses.Data, "where the claim has always been: a changed class would replace it");
        foreach (var workload in run.KubernetesObjects.Where(o => o.Type is "kubernetes:apps/v1:Deployment" or "kubernetes:batch/v1:CronJob"))
        {
            KubernetesManifest.FromRegistration(workload.Type, workload.Inputs).ShouldNotBeNull().ToJson()
                .ShouldNotContain("\"backups\"", customMessage: $"{workload.Type} {workload.Name}");
        }
        // The quota counts it, so an import's staging claim still fits beside it (60Gi and 4 claims without it).
        var storage = await run.Single<ResourceQuota>("tenant-storage").Spec.Value();
        (storage.Hard["requests.storage"], storage.Hard["persistentvolumeclaims"]).ShouldBe(("90Gi", "5"));
    }

    [Fact]
    public async Task The_demo_renders_manifests_to_a_folder_instead_of_a_cluster()
    {
        var run = await StackHarness.RunShipped("demo");

        var provider = run.InputsOf("pulumi:providers:kubernetes", "cluster");
        provider.Inputs["renderYamlToDirectory"].ShouldBe(Path.Combine(RepositoryRoot.FullPath, "rendered", "demo"));
        provider.Inputs.ShouldNotContainKey("context");
        await Task.CompletedTask;
    }

    [Fact]
    public async Task The_jobs_port_is_reachable_only_through_an_internal_service()
    {
        var run = await StackHarness.RunShipped("demo");

        var jobs = await run.Single<Service>("jobs").Spec.Value();
        jobs.Type.ShouldBe("ClusterIP");
        jobs.Ports.Single().Port.ShouldBe(8080);
        var web = await run.Single<Service>("web").Spec.Value();
        web.Ports.ShouldNotContain(p => p.Port == 8080);
    }

    [Fact]
    public async Task Scheduled_jobs_call_the_jobs_port_and_do_not_rerun_the_entrypoint()
    {
        var run = await StackHarness.RunShipped("demo");

        var checks = await run.Single<CronJob>("check-notifications").Spec.Value();
        checks.Schedule.ShouldBe("*/10 * * * *");
        checks.TimeZone.ShouldBe("Europe/Copenhagen");
        checks.ConcurrencyPolicy.ShouldBe("Forbid");
        var container = checks.JobTemplate.Spec.Template.Spec.Containers.Single();
        container.Image.ShouldNotContain("os2borgerpc-admin-site");
        container.Command.ShouldContain("http://admin-site-jobs:8080/jobs/check_notifications");
        container.Command.ShouldContain("Host: demo.borgerpc.test");
        var cleanUp = await run.Single<CronJob>("clean-up-database").Spec.Value();
        cleanUp.JobTemplate.Spec.Template.Spec.Containers.Single().Command.ShouldContain("http://admin-site-jobs:8080/jobs/clean_up_database");
    }

    [Fact]
    public async Task An_email_relay_gets_its_password_by_reference_and_an_smtp_egress_rule()
    {
        var yaml = RepositoryRoot.StackText("demo")
            .Replace("    smokeCheck: false", "    smokeCheck: false\n    email:\n      host: smtp.example.dk\n      port: 2525\n      username: borgerpc\n      from: borgerpc@example.dk\n      relayCidrs: [192.0.2.25/32]")
            + "  os2borgerpc:emailPassword:\n    secure: v1:AAAA\n";
        var run = await StackHarness.Run("demo", yaml);

        var env = (await run.Single<Deployment>("admin-site").Spec.Value()).Template.Spec.Containers
            .Single(c => c.Name == "admin-site").Env.ToDictionary(e => e.Name);
        env["EMAIL_HOST"].Value.ShouldBe("smtp.example.dk");
        env["EMAIL_PASSWORD"].Value.ShouldBeNull();
        env["EMAIL_PASSWORD"].ValueFrom.SecretKeyRef.Key.ShouldBe("email-password");
        env["SERVER_EMAIL"].Value.ShouldBe("borgerpc@example.dk");
        var secret = run.Single<Secret>("admin-site");
        (await secret.StringData.Value())["email-password"].ShouldBe(StackHarness.EmailPassword);
        var egress = await run.Single<NetworkPolicy>("admin-site-egress").Spec.Value();
        egress.Egress.ShouldContain(rule => rule.Ports.Any(p => p.Port.IsT0 && p.Port.AsT0 == 2525));
    }

    [Fact]
    public async Task An_invalid_tenant_fails_with_the_file_and_key_and_provisions_nothing()
    {
        var yaml = RepositoryRoot.StackText("demo")
            .Replace("size: small", "size: huge");

        var error = await Should.ThrowAsync<Exception>(() => StackHarness.Run("demo", yaml));

        error.ToString().ShouldContain("stacks/Pulumi.demo.yaml: os2borgerpc:tenant.size: 'huge' is not a known size.");
    }

    internal static async Task<List<(string Owner, PodSpec Pod)>> Pods(StackRun run)
    {
        var pods = new List<(string, PodSpec)>();
        foreach (var d in run.Resources.OfType<Deployment>())
        {
            pods.Add(($"Deployment {d.GetResourceName()}", (await d.Spec.Value()).Template.Spec));
        }
        foreach (var s in run.Resources.OfType<StatefulSet>())
        {
            pods.Add(($"StatefulSet {s.GetResourceName()}", (await s.Spec.Value()).Template.Spec));
        }
        foreach (var c in run.Resources.OfType<CronJob>())
        {
            pods.Add(($"CronJob {c.GetResourceName()}", (await c.Spec.Value()).JobTemplate.Spec.Template.Spec));
        }
        foreach (var j in run.Resources.OfType<Pulumi.Kubernetes.Batch.V1.Job>())
        {
            pods.Add(($"Job {j.GetResourceName()}", (await j.Spec.Value()).Template.Spec));
        }
        return pods;
    }
}
