using OS2BorgerPC.Deploy.PlatformProgram;

return await Pulumi.Deployment.RunAsync<PlatformStack>();
