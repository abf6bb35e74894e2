using System;
using System.IO;
using System.Reflection;
using Xunit;

namespace AuditTools.Tests.Loading
{
    /// <summary>
    /// The Windows PowerShell 5.1 (.NET Framework) side of the dependency loader, whose logic runs the same on .NET:
    /// which file of the dependencies folder answers an assembly request, and the import count that installs and
    /// removes the resolver.
    /// </summary>
    public sealed class DependencyLoaderTests : IDisposable
    {
        private readonly string directory = Path.Combine(Path.GetTempPath(), "audittools-deps-" + Guid.NewGuid().ToString("N"));
        private readonly AssemblyName core = typeof(AuditTools.Logs.LogProblem).Assembly.GetName();

        public DependencyLoaderTests()
        {
            Directory.CreateDirectory(directory);
            // A real assembly in the folder, under its own name, as the module layout has them.
            File.Copy(typeof(AuditTools.Logs.LogProblem).Assembly.Location, Path.Combine(directory, core.Name + ".dll"));
        }

        public void Dispose() => Directory.Delete(directory, recursive: true);

        [Fact]
        public void AnswersARequestForTheVersionTheFolderHolds()
        {
            string? path = DependencyLoader.FindDependency(directory, core.FullName);
            Assert.Equal(Path.Combine(directory, core.Name + ".dll"), path);
        }

        [Fact]
        public void AnswersARequestWithoutAVersion()
        {
            Assert.NotNull(DependencyLoader.FindDependency(directory, core.Name!));
        }

        [Fact]
        public void LeavesAnotherVersionToWhoeverAskedForIt()
        {
            // As AWS.Tools asking for its own AWSSDK.Core: not to be answered with the module's copy.
            var other = new AssemblyName(core.FullName) { Version = new Version(3, 7, 402, 0) };
            Assert.Null(DependencyLoader.FindDependency(directory, other.FullName));
        }

        [Theory]
        [InlineData("AWSSDK.Core, Version=4.0.0.0, Culture=neutral, PublicKeyToken=885c28607f98e604")]
        [InlineData("System.Management.Automation")]
        [InlineData("AuditTools.Core.resources, Version=0.1.0.0, Culture=fr, PublicKeyToken=null")]
        public void LeavesAssembliesTheFolderDoesNotHold(string requested)
        {
            Assert.Null(DependencyLoader.FindDependency(directory, requested));
        }

        [Theory]
        [InlineData("")]
        [InlineData("../AuditTools.Core")]
        [InlineData("not, a = valid, name")]
        public void LeavesNamesThatAreNotAssemblyNamesOrPointElsewhere(string requested)
        {
            Assert.Null(DependencyLoader.FindDependency(directory, requested));
        }

        [Fact]
        public void LeavesAFileThatIsNotAnAssembly()
        {
            File.WriteAllText(Path.Combine(directory, "AWSSDK.S3.dll"), "not an assembly");
            Assert.Null(DependencyLoader.FindDependency(directory, "AWSSDK.S3, Version=4.0.0.0, Culture=neutral, PublicKeyToken=885c28607f98e604"));
        }

        [Fact]
        public void FirstImportInstallsTheResolverAndTheLastRemovalRemovesIt()
        {
            int installed = 0;
            int removed = 0;
            var imports = new ImportCount(() => installed++, () => removed++);

            imports.Add();
            imports.Add();
            Assert.Equal((1, 0), (installed, removed));

            imports.Remove();
            Assert.Equal((1, 0), (installed, removed));
            imports.Remove();
            Assert.Equal((1, 1), (installed, removed));

            // A removal without an import changes nothing; the next import installs again.
            imports.Remove();
            Assert.Equal(0, imports.Count);
            imports.Add();
            Assert.Equal((2, 1), (installed, removed));
        }
    }
}
