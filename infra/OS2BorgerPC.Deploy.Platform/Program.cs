using OS2BorgerPC.Deploy.Platform;

return await Pulumi.Deployment.RunAsync<PlatformStack>();
