namespace OS2BorgerPC.Deploy.RealPrograms.Tests.Support;

/// <summary>
/// Real migration names of the admin site, as its django_migrations holds them: Django's own apps (Django 4.2),
/// and the admin site's apps from github.com/OS2borgerPC/os2borgerpc-admin-site tag v7.0.1 (commit d4c3b180),
/// plus OS2's 0088 after it. The Magenta-hosted fork (github.com/magenta-aps/os2borgerpc-admin-site, release
/// 6.1.0) shares the system app's migrations up to 0086 and names 0087-0091 differently.
/// </summary>
public static class AdminSiteMigrations
{
    private static readonly (string App, string[] Names)[] Django =
    [
        ("contenttypes",
        [
            "0001_initial", "0002_remove_content_type_name",
        ]),
        ("auth",
        [
            "0001_initial", "0002_alter_permission_name_max_length", "0003_alter_user_email_max_length",
            "0004_alter_user_username_opts", "0005_alter_user_last_login_null", "0006_require_contenttypes_0002",
            "0007_alter_validators_add_error_messages", "0008_alter_user_username_max_length",
            "0009_alter_user_last_name_max_length", "0010_alter_group_name_max_length",
            "0011_update_proxy_permissions", "0012_alter_user_first_name_max_length",
        ]),
        ("admin",
        [
            "0001_initial", "0002_logentry_remove_auto_add", "0003_logentry_add_action_flag_choices",
        ]),
        ("sessions",
        [
            "0001_initial",
        ]),
    ];

    private static readonly (string App, string[] Names)[] AdminSite =
    [
        ("account",
        [
            "0001_initial", "0002_auto_20210409_1139", "0003_migrate_from_single_site_to_multiple_sites",
            "0004_auto_20210409_1223", "0005_userprofile_language", "0006_alter_userprofile_user",
            "0007_userprofile_is_hidden", "0008_alter_sitemembership_site_user_type",
        ]),
        ("changelog",
        [
            "0001_initial", "0002_remove_changelog_author_remove_changelog_version_and_more",
        ]),
    ];

    /// <summary>system 0001-0086 (with the squashed base), the same in both lines.</summary>
    private static readonly string[] SharedSystem =
    [
        "0001_initial", "0001_squashed_base", "0002_pc_location", "0003_auto_20180607_1324", "0004_auto_20180607_1325",
        "0005_auto_20190225_1620", "0006_imageversion", "0007_auto_20200214_1326", "0008_auto_20201210_0950",
        "0009_auto_20210511_1424", "0010_auto_20210628_1127", "0011_script_maintained_by_magenta",
        "0012_script_deleted", "0013_add_created_and_modified_fields", "0014_script_author", "0015_add_script_tags",
        "0016_auto_20210525_1238", "0017_auto_20210712_1136", "0018_set_os2_product_config_entry_for_pcs",
        "0019_auto_20210713_1549", "0020_image_version_updates", "0021_auto_20210809_1308", "0022_auto_20210809_1500",
        "0023_auto_20210902_1223", "0024_auto_20210902_1240", "0025_renaming", "0026_auto_20210920_1436",
        "0027_remove_site_security_alerts", "0028_auto_20210930_1146", "0029_auto_20211004_1516",
        "0030_auto_20211012_1208", "0031_auto_20211029_1102", "0032_auto_20211108_1511", "0033_site_isil",
        "0034_auto_20211111_1256", "0035_auto_20211111_1330", "0036_auto_20211117_1423", "0037_auto_20211118_1248",
        "0038_auto_20211118_1431", "0039_auto_20211122_1511", "0040_alter_imageversion_platform",
        "0041_alter_configurationentry_options", "0042_alter_imageversion_release_notes",
        "0043_alter_input_value_type", "0044_alter_imageversion_platform", "0045_auto_20220401_1050",
        "0046_auto_20220401_1158", "0047_rename_script_associatedscriptparameter_associated_script",
        "0048_rename_ocurred_time_securityevent_occurred_time", "0049_auto_20220404_1419",
        "0050_alter_input_value_type", "0051_alter_securityproblem_uid", "0052_auto_20220530_1128",
        "0053_auto_20220602_1522", "0054_alter_pc_uid", "0055_alter_input_value_type", "0056_auto_20220629_0922",
        "0057_auto_20220725_1036", "0058_auto_20220822_1252", "0059_auto_20220926_1158",
        "0060_alter_changelog_options", "0061_alter_batch_options", "0062_auto_20221026_1245",
        "0063_auto_20221027_1033", "0064_wakechangeevent_site", "0065_input_default_value",
        "0066_alter_imageversion_platform", "0067_remove_securityproblem_unique_uid_per_site_and_more",
        "0068_site_rerun_asc", "0069_remove_changelogcomment_changelog_and_more", "0070_pcgroup_supervisors",
        "0071_remove_pc_is_update_required", "0072_eventruleserver_alter_securityevent_problem_and_more",
        "0073_citizen_logged_in_and_more", "0074_apikey", "0075_alter_site_rerun_asc",
        "0076_remove_site_cicero_password_remove_site_cicero_user_and_more",
        "0077_alter_site_citizen_login_api_password", "0078_site_booking_api_key_loginlog",
        "0079_site_booking_api_url", "0080_alter_eventruleserver_level_alter_job_status_and_more",
        "0081_country_site_is_testsite_site_country", "0082_product_alter_imageversion_options_and_more",
        "0083_site_citizen_login_api_key_alter_site_isil", "0084_alter_input_value_type", "0085_alter_job_status",
        "0086_remove_featurepermission_sites_remove_site_country_and_more",
    ];

    private static readonly string[] Os2System = ["0087_alter_script_executable_code", "0088_pc_client_key_hash"];

    private static readonly string[] ForkSystem =
    [
        "0087_imageversion_published_and_more", "0088_alter_imageversion_image_upload_and_more", "0089_alter_wakeweekplan_sleep_state",
        "0090_pc_product_product_config_name_product_short_name", "0091_alter_configurationentry_options",
    ];

    /// <summary>The history of a database of OS2's admin site after 7.0.1.</summary>
    public static IReadOnlyList<(string App, string Name)> Os2 => History(Os2System);

    /// <summary>The history of a database of the Magenta-hosted fork (release 6.1.0).</summary>
    public static IReadOnlyList<(string App, string Name)> MagentaFork => History(ForkSystem);

    private static List<(string App, string Name)> History(string[] divergent) =>
    [
        .. Django.Concat(AdminSite).SelectMany(app => app.Names.Select(name => (app.App, name))),
        .. SharedSystem.Concat(divergent).Select(name => ("system", name)),
    ];
}
