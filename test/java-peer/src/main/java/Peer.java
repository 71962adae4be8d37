import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.DynamoDbEncryptionInterceptor;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.itemencryptor.DynamoDbItemEncryptor;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.itemencryptor.model.DecryptItemInput;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.itemencryptor.model.DynamoDbItemEncryptorConfig;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.itemencryptor.model.EncryptItemInput;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.model.AsSet;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.model.BeaconKeySource;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.model.BeaconStyle;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.model.Constructor;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.model.ConstructorPart;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.model.GetPrefix;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.model.GetSegment;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.model.GetSegments;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.model.GetSubstring;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.model.GetSuffix;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.model.Insert;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.model.Lower;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.model.PartOnly;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.model.Shared;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.model.SharedSet;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.model.Upper;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.model.VirtualField;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.model.VirtualPart;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.model.VirtualTransform;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.model.BeaconVersion;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.model.CompoundBeacon;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.model.DynamoDbTableEncryptionConfig;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.model.DynamoDbTablesEncryptionConfig;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.model.EncryptedPart;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.model.MultiKeyStore;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.model.SearchConfig;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.model.SignedPart;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.model.SingleKeyStore;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.model.StandardBeacon;
import software.amazon.cryptography.dbencryptionsdk.structuredencryption.model.CryptoAction;
import software.amazon.cryptography.keystore.KeyStore;
import software.amazon.cryptography.keystore.model.CreateKeyInput;
import software.amazon.cryptography.keystore.model.CreateKeyStoreInput;
import software.amazon.cryptography.keystore.model.KMSConfiguration;
import software.amazon.cryptography.keystore.model.KeyStoreConfig;
import software.amazon.cryptography.materialproviders.IKeyring;
import software.amazon.cryptography.materialproviders.MaterialProviders;
import software.amazon.cryptography.materialproviders.model.AesWrappingAlg;
import software.amazon.cryptography.materialproviders.model.CreateAwsKmsHierarchicalKeyringInput;
import software.amazon.cryptography.materialproviders.model.CreateAwsKmsKeyringInput;
import software.amazon.cryptography.materialproviders.model.CreateMultiKeyringInput;
import software.amazon.cryptography.materialproviders.model.CreateRawAesKeyringInput;
import software.amazon.cryptography.materialproviders.model.DBEAlgorithmSuiteId;
import software.amazon.cryptography.materialproviders.model.MaterialProvidersConfig;

/**
 * The Java DB-ESDK 3.9.0 peer for phiseal's DynamoDB interop tests and benchmark.
 * One JSON request per stdin line, one JSON response per stdout line:
 *   {"op":"config", "table":{...}, "keyring":{...}, "endpoint":"http://127.0.0.1:port", "beacons":{...}}
 *   {"op":"encrypt","item":{ddb json}}  {"op":"decrypt","item":{ddb json}}
 *   {"op":"put","item":...}  {"op":"get","key":...}  {"op":"query","index":..,"expr":..,"filter":..,"names":..,"values":..}
 *   {"op":"scan","filter":..,"names":..,"values":..}
 *   "beacons" takes phiseal's BeaconConfig field names (standard, compound with signed/encrypted/
 *   constructors, virtualFields, signedParts, encryptedParts, styles) plus keyId or keyFieldName.
 *   {"op":"createBranchKey"}  {"op":"bench","item":...,"warmSeconds":15,"runSeconds":5}
 * Responses: {"ok":true,...} or {"ok":false,"error":"..."}.
 */
public final class Peer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MaterialProviders MPL =
      MaterialProviders.builder().MaterialProvidersConfig(MaterialProvidersConfig.builder().build()).build();

  private DynamoDbItemEncryptor encryptor;
  private DynamoDbClient ddb;
  private DynamoDbClient rawDdb;
  private KmsClient kms;
  private KeyStore keyStore;
  private String physicalTable;

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    Peer peer = new Peer();
    out.println("{\"ok\":true,\"ready\":true}");
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isBlank()) continue;
      ObjectNode reply;
      try {
        reply = peer.handle(JSON.readTree(line));
        reply.put("ok", true);
      } catch (Throwable t) {
        reply = JSON.createObjectNode();
        reply.put("ok", false);
        reply.put("error", t.getClass().getSimpleName() + ": " + t.getMessage());
      }
      out.println(JSON.writeValueAsString(reply));
    }
  }

  private ObjectNode handle(JsonNode req) throws Exception {
    String op = req.get("op").asText();
    ObjectNode reply = JSON.createObjectNode();
    switch (op) {
      case "config":
        configure(req);
        return reply;
      case "encrypt":
        reply.set("item", toJson(encryptor.EncryptItem(
            EncryptItemInput.builder().plaintextItem(fromJsonItem(req.get("item"))).build()).encryptedItem()));
        return reply;
      case "decrypt":
        reply.set("item", toJson(encryptor.DecryptItem(
            DecryptItemInput.builder().encryptedItem(fromJsonItem(req.get("item"))).build()).plaintextItem()));
        return reply;
      case "put":
        ddb.putItem(b -> b.tableName(physicalTable).item(fromJsonItem(req.get("item"))));
        return reply;
      case "get": {
        Map<String, AttributeValue> item = ddb.getItem(b -> b.tableName(physicalTable)
            .key(fromJsonItem(req.get("key"))).consistentRead(true)).item();
        reply.set("item", item == null || item.isEmpty() ? null : toJson(item));
        return reply;
      }
      case "getRaw": {
        Map<String, AttributeValue> item = rawDdb.getItem(b -> b.tableName(physicalTable)
            .key(fromJsonItem(req.get("key"))).consistentRead(true)).item();
        reply.set("item", item == null || item.isEmpty() ? null : toJson(item));
        return reply;
      }
      case "query": {
        Map<String, String> names = new HashMap<>();
        req.get("names").fields().forEachRemaining(e -> names.put(e.getKey(), e.getValue().asText()));
        List<Map<String, AttributeValue>> items = ddb.query(b -> {
          b.tableName(physicalTable).keyConditionExpression(req.get("expr").asText())
              .expressionAttributeNames(names).expressionAttributeValues(fromJsonItem(req.get("values")));
          if (req.hasNonNull("index")) b.indexName(req.get("index").asText());
          if (req.hasNonNull("filter")) b.filterExpression(req.get("filter").asText());
        }).items();
        ArrayNode arr = reply.putArray("items");
        for (Map<String, AttributeValue> item : items) arr.add(toJson(item));
        return reply;
      }
      case "scan": {
        Map<String, String> names = new HashMap<>();
        req.path("names").fields().forEachRemaining(e -> names.put(e.getKey(), e.getValue().asText()));
        List<Map<String, AttributeValue>> items = ddb.scan(b -> {
          b.tableName(physicalTable).consistentRead(true);
          if (req.hasNonNull("filter")) {
            b.filterExpression(req.get("filter").asText()).expressionAttributeNames(names)
                .expressionAttributeValues(fromJsonItem(req.get("values")));
          }
        }).items();
        ArrayNode arr = reply.putArray("items");
        for (Map<String, AttributeValue> item : items) arr.add(toJson(item));
        return reply;
      }
      case "createBranchKey":
        reply.put("branchKeyId", keyStore.CreateKey(CreateKeyInput.builder().build()).branchKeyIdentifier());
        return reply;
      case "bench":
        return bench(req);
      case "s3ecGet":
        return S3ecRead.get(req);
      case "s3ecPut":
        return S3ecWrite.put(req);
      default:
        throw new IllegalArgumentException("unknown op " + op);
    }
  }

  private void configure(JsonNode req) {
    JsonNode t = req.get("table");
    String endpoint = req.get("endpoint").asText();
    StaticCredentialsProvider creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    kms = KmsClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
        .credentialsProvider(creds).httpClient(UrlConnectionHttpClient.create()).build();
    rawDdb = DynamoDbClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
        .credentialsProvider(creds).httpClient(UrlConnectionHttpClient.create()).build();
    if (req.hasNonNull("keyStore")) {
      JsonNode ks = req.get("keyStore");
      keyStore = KeyStore.builder().KeyStoreConfig(KeyStoreConfig.builder()
          .ddbTableName(ks.get("tableName").asText())
          .logicalKeyStoreName(ks.get("logicalName").asText())
          .kmsConfiguration(KMSConfiguration.builder().kmsKeyArn(ks.get("kmsKeyArn").asText()).build())
          .ddbClient(rawDdb).kmsClient(kms).build()).build();
      if (ks.path("create").asBoolean(false)) keyStore.CreateKeyStore(CreateKeyStoreInput.builder().build());
    }
    IKeyring keyring = keyring(req.get("keyring"));
    Map<String, CryptoAction> actions = new LinkedHashMap<>();
    t.get("actions").fields().forEachRemaining(e -> actions.put(e.getKey(), CryptoAction.valueOf(e.getValue().asText())));
    List<String> unsigned = new ArrayList<>();
    if (t.has("allowedUnsignedAttributes")) t.get("allowedUnsignedAttributes").forEach(n -> unsigned.add(n.asText()));
    DBEAlgorithmSuiteId suite = "signed".equals(t.path("suite").asText())
        ? DBEAlgorithmSuiteId.ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384_SYMSIG_HMAC_SHA384
        : DBEAlgorithmSuiteId.ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_SYMSIG_HMAC_SHA384;
    physicalTable = t.get("tableName").asText();
    String logical = t.path("logicalTableName").asText(physicalTable);
    DynamoDbItemEncryptorConfig.Builder ic = DynamoDbItemEncryptorConfig.builder()
        .logicalTableName(logical).partitionKeyName(t.get("partitionKey").asText())
        .attributeActionsOnEncrypt(actions).keyring(keyring).algorithmSuiteId(suite);
    DynamoDbTableEncryptionConfig.Builder tc = DynamoDbTableEncryptionConfig.builder()
        .logicalTableName(logical).partitionKeyName(t.get("partitionKey").asText())
        .attributeActionsOnEncrypt(actions).keyring(keyring).algorithmSuiteId(suite);
    if (t.hasNonNull("sortKey")) {
      ic.sortKeyName(t.get("sortKey").asText());
      tc.sortKeyName(t.get("sortKey").asText());
    }
    if (!unsigned.isEmpty()) {
      ic.allowedUnsignedAttributes(unsigned);
      tc.allowedUnsignedAttributes(unsigned);
    }
    if (t.hasNonNull("allowedUnsignedAttributePrefix")) {
      ic.allowedUnsignedAttributePrefix(t.get("allowedUnsignedAttributePrefix").asText());
      tc.allowedUnsignedAttributePrefix(t.get("allowedUnsignedAttributePrefix").asText());
    }
    if (req.hasNonNull("beacons")) tc.search(search(req.get("beacons")));
    encryptor = DynamoDbItemEncryptor.builder().DynamoDbItemEncryptorConfig(ic.build()).build();
    DynamoDbEncryptionInterceptor interceptor = DynamoDbEncryptionInterceptor.builder()
        .config(DynamoDbTablesEncryptionConfig.builder().tableEncryptionConfigs(Map.of(physicalTable, tc.build())).build())
        .build();
    ddb = DynamoDbClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
        .credentialsProvider(creds).httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(ClientOverrideConfiguration.builder().addExecutionInterceptor(interceptor).build())
        .build();
  }

  private IKeyring keyring(JsonNode k) {
    switch (k.get("type").asText()) {
      case "raw-aes":
        return MPL.CreateRawAesKeyring(CreateRawAesKeyringInput.builder()
            .keyNamespace(k.get("namespace").asText()).keyName(k.get("name").asText())
            .wrappingKey(ByteBuffer.wrap(Base64.getDecoder().decode(k.get("key").asText())))
            .wrappingAlg(AesWrappingAlg.ALG_AES256_GCM_IV12_TAG16).build());
      case "kms":
        return MPL.CreateAwsKmsKeyring(CreateAwsKmsKeyringInput.builder()
            .kmsKeyId(k.get("keyArn").asText()).kmsClient(kms).build());
      case "hierarchy":
        return MPL.CreateAwsKmsHierarchicalKeyring(CreateAwsKmsHierarchicalKeyringInput.builder()
            .keyStore(keyStore).branchKeyId(k.get("branchKeyId").asText()).ttlSeconds(600L).build());
      case "multi": {
        List<IKeyring> children = new ArrayList<>();
        Iterator<JsonNode> it = k.get("children").elements();
        IKeyring generator = keyring(it.next());
        while (it.hasNext()) children.add(keyring(it.next()));
        return MPL.CreateMultiKeyring(CreateMultiKeyringInput.builder().generator(generator).childKeyrings(children).build());
      }
      default:
        throw new IllegalArgumentException("unknown keyring " + k.get("type").asText());
    }
  }

  private SearchConfig search(JsonNode b) {
    List<StandardBeacon> standard = new ArrayList<>();
    b.path("standard").forEach(s -> {
      StandardBeacon.Builder sb = StandardBeacon.builder().name(s.get("name").asText()).length(s.get("length").asInt());
      if (s.hasNonNull("loc")) sb.loc(s.get("loc").asText());
      if (s.hasNonNull("style")) sb.style(style(s.get("style")));
      standard.add(sb.build());
    });
    List<CompoundBeacon> compound = new ArrayList<>();
    b.path("compound").forEach(c -> {
      CompoundBeacon.Builder cb = CompoundBeacon.builder().name(c.get("name").asText()).split(c.get("split").asText());
      if (c.has("encrypted")) cb.encrypted(encryptedParts(c.get("encrypted")));
      if (c.has("signed")) cb.signed(signedParts(c.get("signed")));
      if (c.has("constructors")) {
        List<Constructor> cons = new ArrayList<>();
        c.get("constructors").forEach(k -> {
          List<ConstructorPart> parts = new ArrayList<>();
          k.get("parts").forEach(p -> parts.add(ConstructorPart.builder().name(p.get("name").asText()).required(p.get("required").asBoolean()).build()));
          cons.add(Constructor.builder().parts(parts).build());
        });
        cb.constructors(cons);
      }
      compound.add(cb.build());
    });
    List<VirtualField> virtualFields = new ArrayList<>();
    b.path("virtualFields").forEach(v -> {
      List<VirtualPart> parts = new ArrayList<>();
      v.get("parts").forEach(p -> {
        VirtualPart.Builder pb = VirtualPart.builder().loc(p.get("loc").asText());
        if (p.has("trans")) {
          List<VirtualTransform> trans = new ArrayList<>();
          p.get("trans").forEach(t -> trans.add(transform(t)));
          pb.trans(trans);
        }
        parts.add(pb.build());
      });
      virtualFields.add(VirtualField.builder().name(v.get("name").asText()).parts(parts).build());
    });
    BeaconKeySource source = b.hasNonNull("keyFieldName")
        ? BeaconKeySource.builder().multi(MultiKeyStore.builder().keyFieldName(b.get("keyFieldName").asText()).cacheTTL(600).build()).build()
        : BeaconKeySource.builder().single(SingleKeyStore.builder().keyId(b.get("keyId").asText()).cacheTTL(600).build()).build();
    BeaconVersion.Builder v = BeaconVersion.builder().version(1).keyStore(keyStore).keySource(source);
    if (!standard.isEmpty()) v.standardBeacons(standard);
    if (!compound.isEmpty()) v.compoundBeacons(compound);
    if (!virtualFields.isEmpty()) v.virtualFields(virtualFields);
    if (b.has("signedParts")) v.signedParts(signedParts(b.get("signedParts")));
    if (b.has("encryptedParts")) v.encryptedParts(encryptedParts(b.get("encryptedParts")));
    return SearchConfig.builder().versions(List.of(v.build())).writeVersion(1).build();
  }

  private static List<SignedPart> signedParts(JsonNode list) {
    List<SignedPart> out = new ArrayList<>();
    list.forEach(p -> {
      SignedPart.Builder sp = SignedPart.builder().name(p.get("name").asText()).prefix(p.get("prefix").asText());
      if (p.hasNonNull("loc")) sp.loc(p.get("loc").asText());
      out.add(sp.build());
    });
    return out;
  }

  private static List<EncryptedPart> encryptedParts(JsonNode list) {
    List<EncryptedPart> out = new ArrayList<>();
    list.forEach(p -> out.add(EncryptedPart.builder().name(p.get("name").asText()).prefix(p.get("prefix").asText()).build()));
    return out;
  }

  private static BeaconStyle style(JsonNode s) {
    if (s.has("partOnly")) return BeaconStyle.builder().partOnly(PartOnly.builder().build()).build();
    if (s.has("asSet")) return BeaconStyle.builder().asSet(AsSet.builder().build()).build();
    if (s.has("shared")) return BeaconStyle.builder().shared(Shared.builder().other(s.get("shared").get("other").asText()).build()).build();
    return BeaconStyle.builder().sharedSet(SharedSet.builder().other(s.get("sharedSet").get("other").asText()).build()).build();
  }

  private static VirtualTransform transform(JsonNode t) {
    VirtualTransform.Builder b = VirtualTransform.builder();
    if (t.has("upper")) return b.upper(Upper.builder().build()).build();
    if (t.has("lower")) return b.lower(Lower.builder().build()).build();
    if (t.has("insert")) return b.insert(Insert.builder().literal(t.get("insert").get("literal").asText()).build()).build();
    if (t.has("prefix")) return b.prefix(GetPrefix.builder().length(t.get("prefix").get("length").asInt()).build()).build();
    if (t.has("suffix")) return b.suffix(GetSuffix.builder().length(t.get("suffix").get("length").asInt()).build()).build();
    if (t.has("substring")) {
      JsonNode s = t.get("substring");
      return b.substring(GetSubstring.builder().low(s.get("low").asInt()).high(s.get("high").asInt()).build()).build();
    }
    if (t.has("segment")) {
      JsonNode s = t.get("segment");
      return b.segment(GetSegment.builder().split(s.get("split").asText()).index(s.get("index").asInt()).build()).build();
    }
    JsonNode s = t.get("segments");
    return b.segments(GetSegments.builder().split(s.get("split").asText()).low(s.get("low").asInt()).high(s.get("high").asInt()).build()).build();
  }

  /** Times the item encryptor in-process: warms the JIT, then counts whole items per second. */
  private ObjectNode bench(JsonNode req) {
    Map<String, AttributeValue> item = fromJsonItem(req.get("item"));
    long warmNanos = (long) (req.path("warmSeconds").asDouble(15) * 1e9);
    long runNanos = (long) (req.path("runSeconds").asDouble(5) * 1e9);
    EncryptItemInput encIn = EncryptItemInput.builder().plaintextItem(item).build();
    Map<String, AttributeValue> sealed = encryptor.EncryptItem(encIn).encryptedItem();
    DecryptItemInput decIn = DecryptItemInput.builder().encryptedItem(sealed).build();
    long end = System.nanoTime() + warmNanos;
    while (System.nanoTime() < end) {
      encryptor.EncryptItem(encIn);
      encryptor.DecryptItem(decIn);
    }
    ObjectNode reply = JSON.createObjectNode();
    reply.put("encryptPerSecond", rate(() -> encryptor.EncryptItem(encIn), runNanos));
    reply.put("decryptPerSecond", rate(() -> encryptor.DecryptItem(decIn), runNanos));
    int bytes = 0;
    for (Map.Entry<String, AttributeValue> e : sealed.entrySet()) {
      bytes += e.getKey().getBytes(StandardCharsets.UTF_8).length + sizeOf(e.getValue());
    }
    reply.put("storedBytes", bytes);
    return reply;
  }

  private static double rate(Runnable op, long nanos) {
    long start = System.nanoTime();
    long end = start + nanos;
    long count = 0;
    long now;
    do {
      op.run();
      count++;
      now = System.nanoTime();
    } while (now < end);
    return count / ((now - start) / 1e9);
  }

  private static int sizeOf(AttributeValue v) {
    if (v.s() != null) return v.s().getBytes(StandardCharsets.UTF_8).length;
    if (v.n() != null) return v.n().length();
    if (v.b() != null) return v.b().asByteArray().length;
    return 1;
  }

  static Map<String, AttributeValue> fromJsonItem(JsonNode node) {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> item.put(e.getKey(), fromJson(e.getValue())));
    return item;
  }

  static AttributeValue fromJson(JsonNode v) {
    String type = v.fieldNames().next();
    JsonNode x = v.get(type);
    switch (type) {
      case "S": return AttributeValue.fromS(x.asText());
      case "N": return AttributeValue.fromN(x.asText());
      case "B": return AttributeValue.fromB(SdkBytes.fromByteArray(Base64.getDecoder().decode(x.asText())));
      case "BOOL": return AttributeValue.fromBool(x.asBoolean());
      case "NULL": return AttributeValue.fromNul(true);
      case "SS": { List<String> l = new ArrayList<>(); x.forEach(n -> l.add(n.asText())); return AttributeValue.fromSs(l); }
      case "NS": { List<String> l = new ArrayList<>(); x.forEach(n -> l.add(n.asText())); return AttributeValue.fromNs(l); }
      case "BS": {
        List<SdkBytes> l = new ArrayList<>();
        x.forEach(n -> l.add(SdkBytes.fromByteArray(Base64.getDecoder().decode(n.asText()))));
        return AttributeValue.fromBs(l);
      }
      case "L": { List<AttributeValue> l = new ArrayList<>(); x.forEach(n -> l.add(fromJson(n))); return AttributeValue.fromL(l); }
      case "M": return AttributeValue.fromM(fromJsonItem(x));
      default: throw new IllegalArgumentException("unknown type " + type);
    }
  }

  static ObjectNode toJson(Map<String, AttributeValue> item) {
    ObjectNode o = JSON.createObjectNode();
    item.forEach((k, v) -> o.set(k, toJson(v)));
    return o;
  }

  static ObjectNode toJson(AttributeValue v) {
    ObjectNode o = JSON.createObjectNode();
    Base64.Encoder b64 = Base64.getEncoder();
    switch (v.type()) {
      case S: o.put("S", v.s()); break;
      case N: o.put("N", v.n()); break;
      case B: o.put("B", b64.encodeToString(v.b().asByteArray())); break;
      case BOOL: o.put("BOOL", v.bool()); break;
      case NUL: o.put("NULL", true); break;
      case SS: { ArrayNode a = o.putArray("SS"); v.ss().forEach(a::add); break; }
      case NS: { ArrayNode a = o.putArray("NS"); v.ns().forEach(a::add); break; }
      case BS: { ArrayNode a = o.putArray("BS"); v.bs().forEach(x -> a.add(b64.encodeToString(x.asByteArray()))); break; }
      case L: { ArrayNode a = o.putArray("L"); v.l().forEach(x -> a.add(toJson(x))); break; }
      case M: o.set("M", toJson(v.m())); break;
      default: throw new IllegalArgumentException("unknown attribute type");
    }
    return o;
  }

  /**
   * The official Amazon S3 Encryption Client for Java (4.0.1; reads V2 and key-committing V3) reading one object, for the
   * rewrap interop tests of @phiseal/migrate (self-contained: fully qualified names, no shared state).
   *   {"op":"s3ecGet","endpoint":"http://127.0.0.1:port","keyArn":"...","bucket":"...","key":"...","context":{...}}
   *   -> {"ok":true,"body":"<base64>"}
   */
  static final class S3ecRead {
    private S3ecRead() {}

    static ObjectNode get(JsonNode req) throws Exception {
      URI endpoint = URI.create(req.get("endpoint").asText());
      StaticCredentialsProvider creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
      KmsClient kmsClient = KmsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(creds)
          .httpClient(UrlConnectionHttpClient.create()).build();
      software.amazon.awssdk.services.s3.S3Client plain = software.amazon.awssdk.services.s3.S3Client.builder()
          .endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(creds).forcePathStyle(true)
          .httpClient(UrlConnectionHttpClient.create()).build();
      software.amazon.awssdk.services.s3.S3AsyncClient plainAsync = software.amazon.awssdk.services.s3.S3AsyncClient.builder()
          .endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(creds).forcePathStyle(true).build();
      software.amazon.encryption.s3.materials.KmsKeyring keyring = software.amazon.encryption.s3.materials.KmsKeyring.builder()
          .wrappingKeyId(req.get("keyArn").asText()).kmsClient(kmsClient).build();
      Map<String, String> context = new HashMap<>();
      if (req.hasNonNull("context")) req.get("context").fields().forEachRemaining(e -> context.put(e.getKey(), e.getValue().asText()));
      try (software.amazon.encryption.s3.S3EncryptionClient s3ec = software.amazon.encryption.s3.S3EncryptionClient.builderV4()
          .wrappedClient(plain).wrappedAsyncClient(plainAsync).keyring(keyring)
          .commitmentPolicy(software.amazon.encryption.s3.CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT).build()) {
        byte[] body = s3ec.getObjectAsBytes(b -> b.bucket(req.get("bucket").asText()).key(req.get("key").asText())
            .overrideConfiguration(software.amazon.encryption.s3.S3EncryptionClient.withAdditionalConfiguration(context))).asByteArray();
        ObjectNode reply = JSON.createObjectNode();
        reply.put("body", Base64.getEncoder().encodeToString(body));
        return reply;
      } finally {
        kmsClient.close();
      }
    }
  }

  /**
   * The official Amazon S3 Encryption Client for Java (4.0.1) writing one object with a KMS keyring, for the key-rotation
   * interop tests of @phiseal/migrate: format "v3" (key-committing, the default) or "v2" (AES-GCM, forbid-encrypt policy),
   * content metadata in object metadata or (instructionFile: true) in "<key>.instruction".
   *   {"op":"s3ecPut","endpoint":"...","keyArn":"...","bucket":"...","key":"...","context":{...},"format":"v3","instructionFile":false,"body":"<base64>"}
   *   -> {"ok":true}
   */
  static final class S3ecWrite {
    private S3ecWrite() {}

    static ObjectNode put(JsonNode req) throws Exception {
      URI endpoint = URI.create(req.get("endpoint").asText());
      StaticCredentialsProvider creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
      KmsClient kmsClient = KmsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(creds)
          .httpClient(UrlConnectionHttpClient.create()).build();
      // The emulator answers PutObject's "Expect: 100-continue" with an interim 100 that the SDK's clients take for the
      // answer (status 100): the header is dropped (the request is small).
      software.amazon.awssdk.core.interceptor.ExecutionInterceptor noExpect = new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
        @Override
        public software.amazon.awssdk.http.SdkHttpRequest modifyHttpRequest(software.amazon.awssdk.core.interceptor.Context.ModifyHttpRequest c,
            software.amazon.awssdk.core.interceptor.ExecutionAttributes a) {
          return c.httpRequest().toBuilder().removeHeader("Expect").build();
        }
      };
      // Apache's client: HttpURLConnection cannot take the "100 Continue" the emulator answers to PutObject's Expect header.
      software.amazon.awssdk.services.s3.S3Client plain = software.amazon.awssdk.services.s3.S3Client.builder()
          .endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(creds).forcePathStyle(true)
          .overrideConfiguration(o -> o.addExecutionInterceptor(noExpect))
          .httpClient(software.amazon.awssdk.http.apache.ApacheHttpClient.create()).build();
      software.amazon.awssdk.services.s3.S3AsyncClient plainAsync = software.amazon.awssdk.services.s3.S3AsyncClient.builder()
          .endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(creds).forcePathStyle(true)
          .overrideConfiguration(o -> o.addExecutionInterceptor(noExpect)).build();
      software.amazon.encryption.s3.materials.KmsKeyring keyring = software.amazon.encryption.s3.materials.KmsKeyring.builder()
          .wrappingKeyId(req.get("keyArn").asText()).kmsClient(kmsClient).build();
      Map<String, String> context = new HashMap<>();
      if (req.hasNonNull("context")) req.get("context").fields().forEachRemaining(e -> context.put(e.getKey(), e.getValue().asText()));
      boolean v2 = "v2".equals(req.path("format").asText("v3"));
      software.amazon.encryption.s3.S3EncryptionClient.Builder builder = software.amazon.encryption.s3.S3EncryptionClient.builderV4()
          .wrappedClient(plain).wrappedAsyncClient(plainAsync).keyring(keyring)
          .encryptionAlgorithm(v2 ? software.amazon.encryption.s3.algorithms.AlgorithmSuite.ALG_AES_256_GCM_IV12_TAG16_NO_KDF
              : software.amazon.encryption.s3.algorithms.AlgorithmSuite.ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY)
          .commitmentPolicy(v2 ? software.amazon.encryption.s3.CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT
              : software.amazon.encryption.s3.CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
      if (req.path("instructionFile").asBoolean(false)) {
        builder.instructionFileConfig(software.amazon.encryption.s3.internal.InstructionFileConfig.builder()
            .instructionFileClient(plain).enableInstructionFilePutObject(true).build());
      }
      byte[] body = Base64.getDecoder().decode(req.get("body").asText());
      try (software.amazon.encryption.s3.S3EncryptionClient s3ec = builder.build()) {
        s3ec.putObject(b -> b.bucket(req.get("bucket").asText()).key(req.get("key").asText())
            .overrideConfiguration(software.amazon.encryption.s3.S3EncryptionClient.withAdditionalConfiguration(context)),
            software.amazon.awssdk.core.sync.RequestBody.fromBytes(body));
        return JSON.createObjectNode();
      } finally {
        kmsClient.close();
      }
    }
  }
}
