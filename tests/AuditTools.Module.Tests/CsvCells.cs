using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace AuditTools.Module.Tests
{
    /// <summary>
    /// The cells Export-Csv writes for an object: each property's value by its ToString(), as PowerShell's CSV writer
    /// does (ExportCsvHelper.GetToStringValueForProperty). The utility module with Export-Csv itself is not part of
    /// the engine package these tests host.
    /// </summary>
    internal static class CsvCells
    {
        /// <summary>The cells of <paramref name="item"/>, asserting that none is a .NET type name rather than the value.</summary>
        public static Dictionary<string, string?> Of(PSObject item)
        {
            var cells = new Dictionary<string, string?>();
            foreach (PSPropertyInfo property in item.Properties)
            {
                object? value = property.Value;
                string? cell = value?.ToString();
                Assert.False(
                    value != null && cell == value.GetType().ToString(),
                    $"{item.BaseObject.GetType().Name}.{property.Name} would be exported as its type name '{cell}'");
                cells[property.Name] = cell;
            }

            return cells;
        }

        /// <summary>Asserts that no property of any of <paramref name="items"/> is exported as a type name.</summary>
        public static void AssertAllHaveText(IEnumerable<PSObject> items)
        {
            var list = items.ToList();
            Assert.NotEmpty(list);
            foreach (PSObject item in list)
            {
                Of(item);
            }
        }
    }
}
