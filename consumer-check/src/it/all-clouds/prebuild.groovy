// Keeps the README honest mechanically. Its java blocks become this consumer's sources, so they compile as shown
// against the BOM and the three artifacts; every <dependency> of its xml block (with the version the build
// makes) must be one that the consumers really declare, so the Maven set-up it shows is the one tested here.
def text = new File(readme).getText('UTF-8')
def out = new File(basedir, 'target/generated-sources/readme')
out.mkdirs()
def javaBlocks = (text =~ /(?s)```java\n(.*?)```/).collect { it[1] }
assert !javaBlocks.isEmpty() : 'the README has no java block'
javaBlocks.each { code ->
    def name = (code =~ /(?m)^(?:public\s+)?(?:final\s+)?class\s+(\w+)/)
    assert name.find() : 'a README java block declares no class:\n' + code
    new File(out, name.group(1) + '.java').setText(code, 'UTF-8')
}
def squash = { String s -> s.replaceAll(/\s+/, '') }
def declared = squash(new File(basedir, '../gcs/pom.xml').getText('UTF-8')
        + new File(basedir, '../consumer-parent/pom.xml').getText('UTF-8'))
def xmlBlocks = (text =~ /(?s)```xml\n(.*?)```/).collect { it[1] }
assert !xmlBlocks.isEmpty() : 'the README has no xml block'
xmlBlocks.each { xml ->
    def dependencies = (xml =~ /(?s)<dependency>.*?<\/dependency>/).collect { it }
    assert !dependencies.isEmpty() : 'a README xml block declares no dependency:\n' + xml
    dependencies.each { dependency ->
        def asDeclared = squash(dependency).replace('<version>' + projectVersion + '</version>',
                '<version>${atomic-checkpoint.version}</version>')
        assert declared.contains(asDeclared) : 'the README shows a dependency no consumer declares:\n' + dependency
    }
}
println "README: ${javaBlocks.size()} java blocks to compile, xml matches the gcs consumer"
return true
