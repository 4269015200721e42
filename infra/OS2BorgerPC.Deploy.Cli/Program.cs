using OS2BorgerPC.Deploy.Cli;

return CliApp.Run(args, Directory.GetCurrentDirectory(), Console.Out, Console.Error);
