using System.Runtime.Versioning;

// The programs under test (nginx, PostgreSQL, dash, runuser) are those of Debian, the containers' base.
[assembly: SupportedOSPlatform("linux")]
