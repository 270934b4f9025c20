using System.Collections.Immutable;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using OrleansTracker.Frontends.Protocol;
using Xunit;

namespace OrleansTracker.Tests.Protocol;

/// <summary>
/// Frontends/Protocol holds the wire codecs only, as aquatic keeps udp_protocol: they may use the
/// BCL and the domain values of Grains.Interfaces (InfoHash, PeerEndpoint…), never Orleans,
/// ASP.NET, Microsoft.Extensions or the rest of Frontends. Checked on the compiled assembly, so a
/// fully qualified name or a type used only inside a method body is caught as well as a using.
/// </summary>
public sealed class ProtocolPurityTests
{
    private static readonly string[] Allowed = ["System", "Microsoft.CodeAnalysis", "OrleansTracker.Frontends.Protocol", "OrleansTracker.Grains.Interfaces", ""];

    [Fact]
    public void protocol_references_only_the_bcl_and_the_domain_values()
    {
        var violations = ReferencesOutside("OrleansTracker.Frontends.Protocol");
        Assert.True(violations.Count == 0, "Frontends/Protocol references: " + string.Join(", ", violations));
    }

    /// <summary>The check itself can fail: the UDP and HTTP frontends do use the seam, Orleans and ASP.NET.</summary>
    [Fact]
    public void the_check_finds_the_references_of_the_frontends_around_it()
    {
        Assert.Contains(ReferencesOutside("OrleansTracker.Frontends.Udp"), t => t.StartsWith("OrleansTracker.Frontends.Logic.", StringComparison.Ordinal));
        Assert.Contains(ReferencesOutside("OrleansTracker.Frontends.Http"), t => t.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal));
        Assert.Contains(ReferencesOutside("OrleansTracker.Frontends.Logic"), t => t.StartsWith("Orleans.", StringComparison.Ordinal));
    }

    /// <summary>Every type named in the signatures, attributes and method bodies of <paramref name="ns"/>'s types that lies outside <see cref="Allowed"/>.</summary>
    private static SortedSet<string> ReferencesOutside(string ns)
    {
        using var stream = File.OpenRead(typeof(UdpRequestParser).Assembly.Location);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var names = new Names(reader);
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var handle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(handle);
            var own = names.Of(handle);
            if (!own.StartsWith(ns + ".", StringComparison.Ordinal))
                continue;
            var referenced = new List<string>();
            if (!type.BaseType.IsNil)
                referenced.AddRange(names.OfEntity(type.BaseType));
            foreach (var i in type.GetInterfaceImplementations())
                referenced.AddRange(names.OfEntity(reader.GetInterfaceImplementation(i).Interface));
            referenced.AddRange(names.OfAttributes(type.GetCustomAttributes()));
            foreach (var f in type.GetFields())
            {
                var field = reader.GetFieldDefinition(f);
                referenced.AddRange(field.DecodeSignature(names, null).Split('|'));
                referenced.AddRange(names.OfAttributes(field.GetCustomAttributes()));
            }
            foreach (var m in type.GetMethods())
            {
                var method = reader.GetMethodDefinition(m);
                var signature = method.DecodeSignature(names, null);
                referenced.AddRange(signature.ParameterTypes.Append(signature.ReturnType).SelectMany(t => t.Split('|')));
                referenced.AddRange(names.OfAttributes(method.GetCustomAttributes()));
                if (method.RelativeVirtualAddress != 0)
                    referenced.AddRange(names.InBody(pe.GetMethodBody(method.RelativeVirtualAddress)));
            }
            found.UnionWith(referenced.Where(r => r.Length > 0 && !Allowed.Any(a => a.Length == 0 ? !r.Contains('.') : r == a || r.StartsWith(a + ".", StringComparison.Ordinal))));
        }
        return found;
    }

    /// <summary>Full names of the types a metadata entity names; generic arguments joined with '|'.</summary>
    private sealed class Names(MetadataReader reader) : ISignatureTypeProvider<string, object?>
    {
        private static readonly Dictionary<short, OperandType> Operands = typeof(OpCodes).GetFields()
            .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value, o => o.OperandType);

        public string Of(TypeDefinitionHandle handle)
        {
            var type = reader.GetTypeDefinition(handle);
            var declaring = type.GetDeclaringType();
            return declaring.IsNil ? Join(reader.GetString(type.Namespace), reader.GetString(type.Name)) : Of(declaring) + "+" + reader.GetString(type.Name);
        }

        public string Of(TypeReferenceHandle handle)
        {
            var type = reader.GetTypeReference(handle);
            return type.ResolutionScope.Kind == HandleKind.TypeReference
                ? Of((TypeReferenceHandle)type.ResolutionScope) + "+" + reader.GetString(type.Name)
                : Join(reader.GetString(type.Namespace), reader.GetString(type.Name));
        }

        public IEnumerable<string> OfEntity(EntityHandle handle) => handle.Kind switch
        {
            HandleKind.TypeDefinition => [Of((TypeDefinitionHandle)handle)],
            HandleKind.TypeReference => [Of((TypeReferenceHandle)handle)],
            HandleKind.TypeSpecification => reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null).Split('|'),
            HandleKind.MethodDefinition => [Of(reader.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType())],
            HandleKind.FieldDefinition => [Of(reader.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType())],
            HandleKind.MemberReference => OfMember(reader.GetMemberReference((MemberReferenceHandle)handle)),
            HandleKind.MethodSpecification => OfEntity(reader.GetMethodSpecification((MethodSpecificationHandle)handle).Method)
                .Concat(reader.GetMethodSpecification((MethodSpecificationHandle)handle).DecodeSignature(this, null).SelectMany(t => t.Split('|'))),
            _ => [],
        };

        public IEnumerable<string> OfAttributes(CustomAttributeHandleCollection attributes) =>
            attributes.SelectMany(a => OfEntity(reader.GetCustomAttribute(a).Constructor));

        /// <summary>Types named by the tokens of a method body's IL (calls, fields, casts, ldtoken…).</summary>
        public List<string> InBody(MethodBodyBlock body)
        {
            var il = body.GetILReader();
            var names = new List<string>();
            while (il.RemainingBytes > 0)
            {
                short code = il.ReadByte();
                if (code == 0xFE)
                    code = unchecked((short)(0xFE00 | il.ReadByte()));
                switch (Operands[code])
                {
                    case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineType or OperandType.InlineTok:
                        names.AddRange(OfEntity(MetadataTokens.EntityHandle(il.ReadInt32())));
                        break;
                    case OperandType.InlineSwitch:
                        var targets = il.ReadInt32(); // read first: `Offset += …` would take Offset before the read
                        il.Offset += 4 * targets;
                        break;
                    case OperandType.InlineI8 or OperandType.InlineR:
                        il.Offset += 8;
                        break;
                    case OperandType.InlineNone:
                        break;
                    case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                        il.Offset += 1;
                        break;
                    case OperandType.InlineVar:
                        il.Offset += 2;
                        break;
                    default:
                        il.Offset += 4;
                        break;
                }
            }
            if (!body.LocalSignature.IsNil)
                names.AddRange(reader.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(this, null).SelectMany(t => t.Split('|')));
            return names;
        }

        private IEnumerable<string> OfMember(MemberReference member)
        {
            var parent = OfEntity(member.Parent);
            var signature = member.GetKind() == MemberReferenceKind.Method
                ? member.DecodeMethodSignature(this, null) is var m ? m.ParameterTypes.Append(m.ReturnType) : []
                : [member.DecodeFieldSignature(this, null)];
            return parent.Concat(signature.SelectMany(t => t.Split('|')));
        }

        private static string Join(string ns, string name) => ns.Length == 0 ? name : ns + "." + name;

        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => "System." + typeCode;
        public string GetTypeFromDefinition(MetadataReader r, TypeDefinitionHandle handle, byte rawTypeKind) => Of(handle);
        public string GetTypeFromReference(MetadataReader r, TypeReferenceHandle handle, byte rawTypeKind) => Of(handle);
        public string GetTypeFromSpecification(MetadataReader r, object? context, TypeSpecificationHandle handle, byte rawTypeKind) =>
            r.GetTypeSpecification(handle).DecodeSignature(this, context);
        public string GetSZArrayType(string elementType) => elementType;
        public string GetArrayType(string elementType, ArrayShape shape) => elementType;
        public string GetByReferenceType(string elementType) => elementType;
        public string GetPointerType(string elementType) => elementType;
        public string GetPinnedType(string elementType) => elementType;
        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => string.Join('|', typeArguments.Prepend(genericType));
        public string GetGenericMethodParameter(object? context, int index) => "";
        public string GetGenericTypeParameter(object? context, int index) => "";
        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => modifier + "|" + unmodifiedType;
        public string GetFunctionPointerType(MethodSignature<string> signature) => string.Join('|', signature.ParameterTypes.Append(signature.ReturnType));
    }
}
