namespace OS2BorgerPC.Deploy.TenantDecisions.Import;

/// <summary>
/// Where the admin site's <c>system</c> app's migrations part ways between OS2's line and the
/// Magenta-hosted fork. Both lines share every <c>system</c> migration up to <see cref="LastShared"/>;
/// from 0087 on, each line numbers different migrations the same, so Django on one line cannot migrate
/// a database from the other.
/// </summary>
public static class SystemMigrations
{
    public const string App = "system";

    /// <summary>The last <c>system</c> migration both lines have (the same file in both repositories).</summary>
    public const string LastShared = "0086_remove_featurepermission_sites_remove_site_country_and_more";

    /// <summary>The numbers the issue names as where the lines differ.</summary>
    public static readonly IReadOnlyList<int> Divergent = [87, 88, 89, 90, 91];

    /// <summary>
    /// OS2's names: github.com/OS2borgerPC/os2borgerpc-admin-site, admin_site/system/migrations/.
    /// 0087 is in tag v7.0.1 (commit d4c3b180e6ddc888378038ad263d8c4412a8e1b6); 0088 in commit
    /// 063f5953530a5c6d9802b7b29540d1495551358d (after v7.0.1). OS2 had no 0089-0091 in the copies read
    /// (checked 2025-11): a newer OS2 release may add them, so an unknown 0089+ is reported, not refused.
    /// </summary>
    public static readonly IReadOnlyDictionary<int, string> Os2 = new Dictionary<int, string>
    {
        [87] = "0087_alter_script_executable_code",
        [88] = "0088_pc_client_key_hash",
    };

    /// <summary>
    /// The fork's names: github.com/magenta-aps/os2borgerpc-admin-site, admin_site/system/migrations/,
    /// release 6.1.0 (commit 91f53ab263ab51955b0cf3de1280216757cfe251; 0091 also in 5c9b69af98be6fcd5044788d5f56c0c0fe71b5f3).
    /// </summary>
    public static readonly IReadOnlyDictionary<int, string> MagentaFork = new Dictionary<int, string>
    {
        [87] = "0087_imageversion_published_and_more",
        [88] = "0088_alter_imageversion_image_upload_and_more",
        [89] = "0089_alter_wakeweekplan_sleep_state",
        [90] = "0090_pc_product_product_config_name_product_short_name",
        [91] = "0091_alter_configurationentry_options",
    };

    /// <summary>The number a migration name starts with (<c>0087_...</c> is 87), or null.</summary>
    public static int? Number(string name)
    {
        var digits = name.Split('_', 2)[0];
        return digits.Length == 4 && int.TryParse(digits, out var number) ? number : null;
    }
}
