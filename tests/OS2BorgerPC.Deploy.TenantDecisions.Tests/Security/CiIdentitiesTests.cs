using OS2BorgerPC.Deploy.TenantDecisions.Security;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests.Security;

/// <summary>The CI identities' rights, as the platform program creates them and docs/SECURITY.md lists them.</summary>
public sealed class CiIdentitiesTests
{
    [Fact]
    public void The_preview_identity_holds_no_role_that_writes()
    {
        CiIdentities.Preview.AzureRoles.Select(r => r.Role).ShouldNotContain(role => CiIdentities.Writes(role));
        CiIdentities.Preview.AzureRoles.Select(r => r.Role).ShouldContain("Reader");
        // Its actions that are no read list the storage keys its drift check's refresh reads (and the state it decrypts holds), and
        // encrypt and decrypt with the state key, which changes nothing.
        CiIdentities.Preview.AzureRoles.Select(r => CiIdentities.Custom(r.Role)).OfType<AzureRoleDefinition>().SelectMany(d => d.NonReads).Distinct()
            .ShouldBe([CiIdentities.ListKeys, .. CiIdentities.KeyCryptoActions], ignoreOrder: true);
    }

    [Fact]
    public void A_writing_custom_role_counts_as_writing() =>
        (CiIdentities.Writes(CiIdentities.TenantDeployer.Name), CiIdentities.Writes(CiIdentities.TenantNamespaceWriter.Name),
            CiIdentities.Writes(CiIdentities.LockOperator.Name), CiIdentities.Writes(CiIdentities.ClusterReader.Name)).ShouldBe((true, true, true, false));

    [Fact]
    // learn.microsoft.com AKS "manage-azure-rbac": Microsoft.ContainerService/managedClusters/*/read is the only way a custom role covers CRDs.
    public void The_preview_identity_reads_the_cluster_and_the_secrets_of_tenant_namespaces_only()
    {
        var inCluster = CiIdentities.Preview.AzureRoles.Where(r => r.Scope is RoleScope.Cluster or RoleScope.TenantNamespaces).ToList();
        inCluster.Select(r => (r.Role, r.Scope)).ShouldBe([
            (CiIdentities.ClusterReader.Name, RoleScope.Cluster),
            (CiIdentities.TenantSecretReader.Name, RoleScope.TenantNamespaces),
            (CiIdentities.ClusterUserRole, RoleScope.Cluster),
        ]);
        CiIdentities.ClusterReader.DataActions.ShouldBe(["Microsoft.ContainerService/managedClusters/*/read"]);
        CiIdentities.ClusterReader.NotDataActions.ShouldBe([CiIdentities.SecretRead]);
        CiIdentities.TenantSecretReader.DataActions.ShouldBe([CiIdentities.SecretRead]);
    }

    [Fact]
    public void The_deploy_identity_writes_in_tenant_namespaces_and_cluster_wide_only_the_namespaces_themselves()
    {
        var writes = CiIdentities.Production.AzureRoles.Where(r => CiIdentities.Writes(r.Role)).ToList();
        writes.Where(r => r.Scope == RoleScope.TenantNamespaces).Select(r => r.Role).ShouldBe([CiIdentities.TenantDeployer.Name]);
        writes.Where(r => r.Scope == RoleScope.Cluster).Select(r => r.Role).ShouldBe([CiIdentities.TenantNamespaceWriter.Name]);
        CiIdentities.TenantNamespaceWriter.DataActions.ShouldBe([
            "Microsoft.ContainerService/managedClusters/namespaces/read",
            "Microsoft.ContainerService/managedClusters/namespaces/write",
            "Microsoft.ContainerService/managedClusters/namespaces/delete",
        ]);
        CiIdentities.TenantClusterScopedKinds.Select(k => k.Type).ShouldBe(["kubernetes:core/v1:Namespace"]);
    }

    [Fact]
    // azurerm v4.80.0 internal/services/storage/storage_account_resource.go: the read always lists the keys and empties them when refused.
    public void The_drift_identity_may_list_storage_keys_and_the_role_does_nothing_else()
    {
        CiIdentities.StorageKeyLister.Actions.ShouldBe(["Microsoft.Storage/storageAccounts/listKeys/action"]);
        (CiIdentities.StorageKeyLister.DataActions.Count, CiIdentities.StorageKeyLister.NotDataActions.Count).ShouldBe((0, 0));
        CiIdentities.All.Where(i => i.Operations.Contains("drift")).ShouldAllBe(i => i.AzureRoles.Any(r => r.Role == CiIdentities.StorageKeyLister.Name));
        // Where the accounts a drift check refreshes are: the tenants' groups, and the state and backup accounts (platform stacks run
        // as preview with --expect-no-changes). Never the subscription: the identity lists no key of anything else.
        CiIdentities.All.SelectMany(i => i.AzureRoles).Where(r => r.Role == CiIdentities.StorageKeyLister.Name).Select(r => r.Scope).Distinct()
            .ShouldBe([RoleScope.TenantResourceGroups, RoleScope.StateAccount, RoleScope.BackupAccount], ignoreOrder: true);
        // Revealing, not writing: the read-only preview identity may hold it on the state and backup accounts.
        CiIdentities.Writes(CiIdentities.StorageKeyLister.Name).ShouldBeFalse();
        CiIdentities.Problems(CiIdentities.All).ShouldBeEmpty();
    }

    /// <summary>
    /// Who makes which grant: the platform program only those inside the platform's resource group, where its identity's
    /// conditioned RBAC Administrator reaches; the foundation (an operator, Owner) every other, each privileged one included, so no
    /// CI up ever has to change an assignment it may not write.
    /// </summary>
    [Fact]
    public void The_platform_assigns_only_inside_the_reach_of_its_conditioned_rbac_administrator_and_the_foundation_every_other_grant()
    {
        var platformAssigns = Enum.GetValues<RoleScope>().Where(s => CiIdentities.MadeBy(s) == CiIdentities.PlatformProject).ToList();
        platformAssigns.ShouldBe([RoleScope.Cluster, RoleScope.TenantNamespaces, RoleScope.PlatformNetwork], ignoreOrder: true);
        var administrator = CiIdentities.Platform.AzureRoles.Single(r => r.Role == CiIdentities.DelegatedAssignmentRole);
        platformAssigns.ShouldAllBe(scope => CiIdentities.Within(administrator.Scope).Contains(scope));
        Enum.GetValues<RoleScope>().Except(platformAssigns).ShouldAllBe(scope => CiIdentities.MadeBy(scope) == CiIdentities.FoundationProject);
        // Every privileged grant (an RBAC Administrator, even conditioned) is the foundation's.
        CiIdentities.All.SelectMany(i => i.AzureRoles).Where(r => CiIdentities.PrivilegedRoles.Any(p => p.Name == r.Role))
            .ShouldAllBe(r => CiIdentities.MadeBy(r.Scope) == CiIdentities.FoundationProject);
        // The platform's group holds neither the state nor the backups; the subscription holds both.
        (CiIdentities.ContainsStateOrBackups(RoleScope.PlatformResourceGroup), CiIdentities.ContainsStateOrBackups(RoleScope.Subscription)).ShouldBe((false, true));
    }

    /// <summary>
    /// azurerm v4.80.0 internal/services/keyvault/key_vault_key_resource.go (resourceKeyVaultKeyRead): every read of a key calls
    /// GetKeyRotationPolicy, and a 403 is an error ("current client lacks permissions to read Key Rotation Policy"); Key Vault Crypto
    /// User has no rotationpolicy/read. The drift check refreshes the platform stack, the state key included.
    /// </summary>
    [Fact]
    public void The_drift_identity_may_read_the_state_keys_rotation_policy_and_the_role_reads_nothing_else()
    {
        CiIdentities.KeyRotationPolicyReader.DataActions.ShouldBe(["Microsoft.KeyVault/vaults/keys/rotationpolicy/read"]);
        (CiIdentities.KeyRotationPolicyReader.Actions.Count, CiIdentities.KeyRotationPolicyReader.NotDataActions.Count).ShouldBe((0, 0));
        CiIdentities.Writes(CiIdentities.KeyRotationPolicyReader.Name).ShouldBeFalse();
        CiIdentities.All.Where(i => i.Operations.Contains("drift")).ShouldAllBe(i =>
            i.AzureRoles.Any(r => r.Role == CiIdentities.KeyRotationPolicyReader.Name && r.Scope == RoleScope.StateKey));
    }

    /// <summary>
    /// Key Vault Crypto User holds keys/update/action and keys/backup/action besides the crypto operations (learn.microsoft.com
    /// built-in roles, security), so a CI run could disable the state key; the azurekeyvault secrets provider calls only Encrypt and
    /// Decrypt (gocloud.dev secrets/azurekeyvault akv.go, keeper.Encrypt/Decrypt). Every CI identity holds the narrow custom role.
    /// </summary>
    [Fact]
    public void Every_ci_identity_uses_the_state_key_through_a_role_that_cannot_update_or_back_it_up_and_crypto_user_counts_as_writing()
    {
        CiIdentities.StateKeyUser.DataActions.ShouldBe([
            "Microsoft.KeyVault/vaults/keys/read", "Microsoft.KeyVault/vaults/keys/encrypt/action", "Microsoft.KeyVault/vaults/keys/decrypt/action"]);
        (CiIdentities.StateKeyUser.Actions.Count, CiIdentities.StateKeyUser.NotDataActions.Count).ShouldBe((0, 0));
        CiIdentities.All.ShouldAllBe(i => i.AzureRoles.Count(r => r.Scope == RoleScope.StateKey && r.Role == CiIdentities.StateKeyUser.Name) == 1);
        CiIdentities.All.SelectMany(i => i.AzureRoles).Where(r => r.Scope == RoleScope.StateKey).Select(r => r.Role).Distinct()
            .ShouldBe([CiIdentities.StateKeyUser.Name, CiIdentities.KeyRotationPolicyReader.Name], ignoreOrder: true);
        CiIdentities.Writes(CiIdentities.StateKeyUser.Name).ShouldBeFalse();
        CiIdentities.Writes("Key Vault Crypto User").ShouldBeTrue();
        var updater = CiIdentities.StateKeyUser with { DataActions = [.. CiIdentities.StateKeyUser.DataActions, "Microsoft.KeyVault/vaults/keys/update/action"] };
        updater.NonReads.Where(a => !CiIdentities.RevealingActions.Contains(a)).ShouldBe(["Microsoft.KeyVault/vaults/keys/update/action"]);

        var cryptoUser = CiIdentities.Production with { AzureRoles = [.. CiIdentities.Production.AzureRoles, new("Key Vault Crypto User", RoleScope.StateKey, "test")] };
        CiIdentities.Problems([cryptoUser]).ShouldHaveSingleItem().Key.ShouldBe("production: Key Vault Crypto User on StateKey");
    }

    /// <summary>
    /// azurerm v4.80.0 role_assignment_resource.go (read): the assignment's role definition is fetched at the subscription's scope,
    /// so the platform identity, which manages assignments only in its group, still needs Reader there. The state and backup
    /// accounts and the state key are the foundation's: the preview reads their keys and rotation policy for the foundation's drift check.
    /// </summary>
    [Fact]
    public void The_reasons_name_why_the_platform_reads_the_subscription_and_whose_drift_check_reads_the_state_and_backups()
    {
        var reader = CiIdentities.Platform.AzureRoles.Single(r => r.Role == "Reader");
        (reader.Scope, reader.Why.Contains("role_assignment_resource.go", StringComparison.Ordinal), reader.Why.Contains("EnsureRegistered", StringComparison.Ordinal))
            .ShouldBe((RoleScope.Subscription, true, true));
        CiIdentities.Preview.AzureRoles.Where(r => r.Scope is RoleScope.StateAccount or RoleScope.BackupAccount || r.Role == CiIdentities.KeyRotationPolicyReader.Name)
            .ShouldAllBe(r => r.Why.Contains("foundation drift check", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_custom_role_a_grant_names_is_defined()
    {
        var builtIn = new[] { "Reader", "Contributor", "Storage Blob Data Reader", "Storage Blob Data Contributor",
            CiIdentities.DelegatedAssignmentRole, CiIdentities.ClusterUserRole, CiIdentities.ClusterAdminRole };
        CiIdentities.All.SelectMany(i => i.AzureRoles).Select(r => r.Role).Where(r => CiIdentities.Custom(r) is null).Distinct().ShouldBeSubsetOf(builtIn);
        CiIdentities.CustomRoles.Select(r => r.Name).ShouldBeUnique();
    }

    [Fact]
    public void The_shipped_identities_pass_their_own_rules() => CiIdentities.Problems(CiIdentities.All).ShouldBeEmpty();

    [Theory]
    [InlineData("Contributor", RoleScope.BackupAccount)]
    [InlineData("OS2BorgerPC Lock Operator", RoleScope.StateContainer)]
    [InlineData("Storage Blob Data Contributor", RoleScope.BackupAccount)]
    [InlineData("Storage Account Contributor", RoleScope.StateKey)]
    // The built-in blob writer's actions also delete the container, through the data plane where no lock applies: refused on the state too.
    [InlineData("Storage Blob Data Contributor", RoleScope.StateContainer)]
    public void A_writing_role_on_the_state_or_backup_scope_is_refused_naming_the_file_the_grant_and_the_fix(string role, RoleScope scope)
    {
        var identity = CiIdentities.Production with { AzureRoles = [.. CiIdentities.Production.AzureRoles, new(role, scope, "test")] };

        var problem = CiIdentities.Problems([identity]).ShouldHaveSingleItem();

        problem.File.ShouldBe("infra/OS2BorgerPC.Deploy.TenantDecisions/Security/CiIdentities.cs");
        problem.Key.ShouldBe($"production: {role} on {scope}");
        problem.Message.ShouldContain("state or backups");
        problem.Fix.ShouldContain($"{CiIdentities.StateWriter.Name} on StateContainer");
    }

    [Theory]
    [InlineData("Contributor")]
    [InlineData("OS2BorgerPC Lock Operator")]
    [InlineData("Storage Account Contributor")]
    public void A_writing_role_on_the_subscription_that_holds_the_state_and_backups_is_refused_for_a_tenant_deploying_identity(string role)
    {
        var identity = CiIdentities.Production with { AzureRoles = [.. CiIdentities.Production.AzureRoles, new(role, RoleScope.Subscription, "test")] };

        var problem = CiIdentities.Problems([identity]).ShouldHaveSingleItem();

        problem.File.ShouldBe("infra/OS2BorgerPC.Deploy.TenantDecisions/Security/CiIdentities.cs");
        problem.Key.ShouldBe($"production: {role} on Subscription");
        problem.Message.ShouldContain("contains the fleet's state and backup accounts, their resource groups and their locks");
        problem.Fix.ShouldContain("TenantResourceGroups");
    }

    /// <summary>
    /// What a compromised tenant deploy cannot do: every scope it writes in is a tenant's group, a namespace, the cluster
    /// (namespaces only), the platform's subnets and zone (join only), or, listed, the state blobs and the backup account's
    /// containers and conditioned assignments; none contains the accounts' settings, their groups or their locks.
    /// </summary>
    [Fact]
    public void The_tenant_deploying_identity_writes_in_no_scope_that_contains_the_state_or_backup_accounts_or_their_locks()
    {
        var writes = CiIdentities.Production.AzureRoles.Where(r => CiIdentities.Writes(r.Role)).ToList();

        writes.Where(r => r.Scope == RoleScope.Subscription).ShouldBeEmpty();
        writes.Where(r => CiIdentities.ContainsStateOrBackups(r.Scope)).Select(r => (r.Role, r.Scope))
            .ShouldBe(CiIdentities.StateAndBackupWrites, ignoreOrder: true);
        writes.Where(r => r.Role is "Contributor" || r.Role == CiIdentities.LockOperator.Name).Select(r => r.Scope).Distinct()
            .ShouldBe([RoleScope.TenantResourceGroups]);
        // In the backup account: containers made, never deleted; nothing of the account, its blob service or its lock.
        CiIdentities.BackupContainerCreator.Actions.ShouldAllBe(a => a.StartsWith("Microsoft.Storage/storageAccounts/blobServices/containers/", StringComparison.Ordinal));
        CiIdentities.BackupContainerCreator.NonReads.ShouldBe(["Microsoft.Storage/storageAccounts/blobServices/containers/write"]);
        CiIdentities.NetworkJoiner.NonReads.ShouldAllBe(a => a.EndsWith("/join/action", StringComparison.Ordinal) || a.EndsWith("/joinViaServiceEndpoint/action", StringComparison.Ordinal));
    }

    [Fact]
    public void No_identity_writes_on_the_subscription_the_platform_identity_writes_in_its_group_and_runs_no_tenant_stack()
    {
        CiIdentities.All.Where(i => i.AzureRoles.Any(r => r.Scope == RoleScope.Subscription && CiIdentities.Writes(r.Role))).ShouldBeEmpty();
        CiIdentities.Platform.AzureRoles.Where(r => CiIdentities.Writes(r.Role) && !CiIdentities.StateAndBackupWrites.Contains((r.Role, r.Scope)))
            .ShouldAllBe(r => CiIdentities.Within(RoleScope.PlatformResourceGroup).Contains(r.Scope));
        CiIdentities.Platform.AzureRoles.Select(r => r.Role).ShouldNotContain(role => CiIdentities.Custom(role) != null && CiIdentities.Custom(role)!.Actions.Any(a => a.StartsWith("Microsoft.Authorization/roleDefinitions/", StringComparison.Ordinal)));
        CiIdentities.Platform.Projects.ShouldBe([CiIdentities.PlatformProject]);
        CiIdentities.All.Where(i => i.Projects.Contains(CiIdentities.TenantProject) && i.Operations.Contains("up")).Select(i => i.Environment)
            .ShouldBe([CiIdentities.ProductionEnvironment]);

        var tenantsToo = CiIdentities.Platform with { Projects = [CiIdentities.PlatformProject, CiIdentities.TenantProject] };
        // (Its state-write condition no longer matches its projects either: refused as well.)
        var problem = CiIdentities.Problems([tenantsToo]).Where(p => p.Key == "platform: projects").ShouldHaveSingleItem();
        (problem.Key, problem.Fix).ShouldBe(("platform: projects", "Keep its projects to 'platform'; tenant stacks run in the production environment."));
    }

    [Theory]
    [InlineData("Contributor")]
    [InlineData("OS2BorgerPC Lock Operator")]
    public void The_platform_identity_is_no_exception_a_writing_role_of_it_on_the_subscription_is_refused(string role)
    {
        var platform = CiIdentities.Platform with { AzureRoles = [.. CiIdentities.Platform.AzureRoles, new(role, RoleScope.Subscription, "test")] };

        var problem = CiIdentities.Problems([platform]).ShouldHaveSingleItem();

        (problem.File, problem.Key).ShouldBe((CiIdentities.DecisionFile, $"platform: {role} on Subscription"));
        problem.Fix.ShouldContain("foundation program");
    }

    [Fact]
    public void No_ci_identity_runs_the_foundations_up_and_one_that_would_is_refused()
    {
        CiIdentities.All.Where(i => i.Operations.Contains("up")).ShouldAllBe(i => !i.Projects.Contains(CiIdentities.FoundationProject));
        CiIdentities.Preview.Projects.ShouldContain(CiIdentities.FoundationProject);

        var platform = CiIdentities.Platform with { Projects = [CiIdentities.PlatformProject, CiIdentities.FoundationProject] };
        var problems = CiIdentities.Problems([platform]);

        problems.Select(p => (p.File, p.Key)).ShouldContain((CiIdentities.DecisionFile, "platform: projects"));
        problems.ShouldContain(p => p.Fix.Contains("infra/OS2BorgerPC.Deploy.FoundationProgram", StringComparison.Ordinal));
    }

    /// <summary>
    /// learn.microsoft.com Azure RBAC "Delegate Azure role assignment management to others with conditions" (attributes
    /// roleAssignments:RoleDefinitionId and :PrincipalType for the write and delete actions). An allow-list: the deny-list "every
    /// role but Owner, User Access Administrator, RBAC Administrator" would let a platform run assign any other role that carries
    /// roleAssignments/write. Built-in GUIDs: learn.microsoft.com built-in roles.
    /// </summary>
    [Fact]
    public void The_platform_identity_assigns_only_the_roles_the_platform_program_assigns_and_only_to_service_principals()
    {
        var grant = CiIdentities.Platform.AzureRoles.Single(r => r.Role == CiIdentities.DelegatedAssignmentRole);
        grant.Condition.ShouldBe(CiIdentities.PlatformAssignmentCondition);
        Func<string, string> Guid = role => CustomRoleIds.For("os2borgerpc", "prod", role).ToString();
        var condition = CiIdentities.RenderCondition(grant.Condition!, Guid);

        condition.ShouldNotContain("customRole:");
        condition.ShouldContain("@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {4d97b98b-1d4f-4787-a291-c67834d212e7, "
            + "7f951dda-4ed3-4680-a7ca-43fe172d538d, befefa01-2a29-4197-83a8-272ff33ce314, 4abbcc35-e782-43d8-92c5-2d3f1bd2253f, ");
        condition.ShouldContain("@Request[Microsoft.Authorization/roleAssignments:PrincipalType] ForAnyOfAnyValues:StringEqualsIgnoreCase {'ServicePrincipal'}");
        condition.ShouldContain("@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals");
        CiIdentities.PlatformAssignableCustomRoles.ShouldBe([
            CiIdentities.ClusterReader.Name, CiIdentities.TenantSecretReader.Name, CiIdentities.NetworkJoiner.Name, CiIdentities.TenantNamespaceWriter.Name,
            CiIdentities.TenantDeployer.Name, CiIdentities.PublicIpReaderRole], ignoreOrder: true);
        CiIdentities.PlatformAssignableCustomRoles.Where(role => !condition.Contains(Guid(role))).ShouldBeEmpty();
        // Privileged roles, other custom roles, other principal types: refused.
        CiIdentities.PrivilegedRoles.Where(r => CiIdentities.MayPlatformAssign(r.DefinitionGuid, "ServicePrincipal", Guid) || condition.Contains(r.DefinitionGuid))
            .ShouldBeEmpty();
        CiIdentities.MayPlatformAssign(Guid(CiIdentities.LockOperator.Name), "ServicePrincipal", Guid).ShouldBeFalse();
        CiIdentities.MayPlatformAssign("b24988ac-6180-42a0-ab88-20f7382dd24c", "ServicePrincipal", Guid).ShouldBeFalse(); // Contributor
        CiIdentities.MayPlatformAssign("7f951dda-4ed3-4680-a7ca-43fe172d538d", "User", Guid).ShouldBeFalse();
        CiIdentities.MayPlatformAssign("7f951dda-4ed3-4680-a7ca-43fe172d538d", "ServicePrincipal", Guid).ShouldBeTrue();
        // The platform identity's own grants are all the foundation's: it could not grant itself anything.
        CiIdentities.Platform.AzureRoles.ShouldAllBe(r => CiIdentities.MadeBy(r.Scope) == CiIdentities.FoundationProject);
    }

    [Fact]
    public void A_writing_role_for_the_preview_identity_and_an_unconditioned_granting_role_are_refused()
    {
        var preview = CiIdentities.Preview with { AzureRoles = [.. CiIdentities.Preview.AzureRoles, new(CiIdentities.TenantDeployer.Name, RoleScope.TenantNamespaces, "test")] };
        var production = CiIdentities.Production with { AzureRoles = [.. CiIdentities.Production.AzureRoles, new("User Access Administrator", RoleScope.Subscription, "test")] };

        CiIdentities.Problems([preview, production]).Select(p => (p.Key, p.Message[..20])).ShouldBe([
            ($"preview: {CiIdentities.TenantDeployer.Name} on TenantNamespaces", "writes: the preview "),
            ("production: User Access Administrator on Subscription", "is a writing role on"),
            ("production: User Access Administrator on Subscription", "grants roles to anyo"),
        ]);
    }

    [Fact]
    // The platform identity is the exception (docs/SECURITY.md cites this name): it assigns every role but the privileged ones, in its group.
    public void No_ci_identity_can_grant_roles_but_the_tenants_blob_roles_under_a_condition_in_the_backup_account() =>
        CiIdentities.All.Where(i => i.Environment != CiIdentities.PlatformEnvironment).SelectMany(i => i.AzureRoles)
            .Where(r => CiIdentities.AccessGrantingRoles.Contains(r.Role)).Select(r => (r.Role, r.Scope, r.Condition))
            .ShouldBe([(CiIdentities.DelegatedAssignmentRole, RoleScope.BackupAccount, CiIdentities.TenantAssignmentCondition)]);

    [Fact]
    public void The_lock_role_manages_locks_and_nothing_else()
    {
        CiIdentities.LockOperator.Actions.ShouldNotBeEmpty();
        CiIdentities.LockOperator.Actions.ShouldAllBe(action => action.StartsWith("Microsoft.Authorization/locks/", StringComparison.Ordinal) && !action.Contains('*'));
        CiIdentities.Production.AzureRoles.Select(r => r.Role).ShouldContain(CiIdentities.LockOperator.Name);
    }

    [Fact]
    public void Tenant_stacks_go_up_only_as_production_and_platform_stacks_only_as_platform() =>
        CiIdentities.All.Where(i => i.Operations.Contains("up")).Select(i => (i.Environment, string.Join(",", i.Projects))).ShouldBe([
            (CiIdentities.ProductionEnvironment, CiIdentities.TenantProject),
            (CiIdentities.PlatformEnvironment, CiIdentities.PlatformProject),
        ]);

    [Fact]
    public void Every_grant_says_where_and_why() =>
        CiIdentities.All.SelectMany(i => i.AzureRoles).ShouldAllBe(r => Enum.IsDefined(r.Scope) && r.Why.Length > 0);

    [Fact]
    // Azure RBAC "conditions-authorization-actions-attributes": roleAssignments/write carries RoleDefinitionId and PrincipalType as
    // request attributes, roleAssignments/delete as resource attributes; the GUIDs are the built-in roles' fixed IDs.
    public void The_deployers_condition_names_exactly_the_blob_roles_it_may_assign_to_service_principals_in_the_backup_account()
    {
        var condition = CiIdentities.TenantAssignmentCondition;
        condition.ShouldContain("ba92f5b4-2d11-453d-a403-e96b0029c9fe");
        condition.ShouldContain("2a2b9908-6ea1-4ae2-8e65-a410df84e7d1");
        condition.ShouldContain("@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId]");
        condition.ShouldContain("@Resource[Microsoft.Authorization/roleAssignments:PrincipalType]");
        const string account = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-backup/providers/Microsoft.Storage/storageAccounts/stbackup";
        CiIdentities.MayDeployAssign("Storage Blob Data Contributor", "ServicePrincipal", account + "/blobServices/default/containers/aarhus", account).ShouldBeTrue();
        CiIdentities.MayDeployAssign("Storage Blob Data Owner", "ServicePrincipal", account + "/blobServices/default/containers/aarhus", account).ShouldBeFalse();
        CiIdentities.MayDeployAssign("Storage Blob Data Contributor", "User", account, account).ShouldBeFalse();
        CiIdentities.MayDeployAssign("Storage Blob Data Reader", "ServicePrincipal", account + "2", account).ShouldBeFalse();
    }
}
